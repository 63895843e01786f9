import type { CouncilVote } from "@aegis/contracts";
import type { CouncilInput } from "../ports/council.js";
import type { CouncilPolicy } from "./council-policy.js";
import type { Grounding } from "./evidence-grounding.js";

const ROOT_CAUSE_CHARS = 200;

/**
 * The SRE_AGENT speaks for the proposal, and asks for a human only when it is unsure by the grounded
 * confidence (the proposer's own number can lower it, never raise it).
 */
export function sreAgentVote(
  input: CouncilInput,
  policy: CouncilPolicy,
  grounding: Grounding,
): Omit<CouncilVote, "timestamp"> {
  const { analysis, category } = input.proposal;
  const { confidence } = grounding;
  const details = [
    ...(analysis.action === "SCALE_UP" ? [`replica_count ${analysis.replica_count}`] : []),
    `confidence ${confidence.toFixed(2)}`,
    `category ${category}`,
  ];
  let reasoning = `Proposing ${analysis.action}: ${flatten(analysis.root_cause)} (${details.join(", ")})`;
  // A NOOP with a known diagnosis is harmless even when unsure; see the AUDITOR's matching rule.
  const unsure = confidence < policy.minConfidence && (analysis.action !== "NOOP" || grounding.category === "unknown");
  if (unsure) reasoning += `; my confidence is below ${policy.minConfidence}, so a human should confirm`;
  return { role: "SRE_AGENT", verdict: unsure ? "NEEDS_REVIEW" : "APPROVED", reasoning };
}

/** One line, bounded: the analyst's text may be long or carry forged line breaks. */
function flatten(text: string): string {
  const flat = text.replace(/[\p{Cc}\s]+/gu, " ").trim() || "no root cause given";
  return flat.length > ROOT_CAUSE_CHARS ? `${flat.slice(0, ROOT_CAUSE_CHARS - 1)}…` : flat;
}
