import { createHash } from "node:crypto";
import { SYSTEM } from "./build-prompt.js";
import { REVIEWED_ROLES, reviewSystemPrompt } from "./model-reviewed-council.js";

export interface PromptTemplateText {
  name: string;
  usedBy: string;
  description: string;
  /** The exact text sent, with `{fence_id}` where each request puts its random fence id. */
  template: string;
  /** sha256 of the template, first 16 hex digits: changes whenever the text does. */
  version: string;
}

const FENCE = "{fence_id}";
const versionOf = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/**
 * The system prompts the analysis engine sends, produced by the very functions that build them for
 * the models (so the listing cannot drift from what is used), for this server's settings.
 */
export function promptTemplates(o: { maxReplicas: number; tools: boolean }): PromptTemplateText[] {
  const diagnosis = SYSTEM(FENCE, o.maxReplicas, o.tools);
  return [
    {
      name: "diagnosis.system",
      usedBy: "pipeline diagnosis and POST /api/v1/analyze (openai and anthropic providers)",
      description:
        "System prompt of the diagnosis: rules on untrusted data, allowed actions, the JSON answer schema. The user message carries the redacted, fenced incident (logs, context, similar incidents, runbooks).",
      template: diagnosis,
      version: versionOf(diagnosis),
    },
    ...REVIEWED_ROLES.map((role) => {
      const text = reviewSystemPrompt(role, FENCE);
      return {
        name: `council.review.${role.toLowerCase()}`,
        usedBy: "council (advisory model review, AEGIS_LLM_COUNCIL_REVIEW)",
        description: `System prompt of the ${role} model review of a proposed action.`,
        template: text,
        version: versionOf(text),
      };
    }),
  ];
}
