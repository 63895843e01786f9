import { ActionType } from "@aegis/contracts";
import { z } from "zod";
import { INCIDENT_CATEGORIES } from "../../ports/analyst.js";

export const CATEGORIES = INCIDENT_CATEGORIES;

const text = (max: number) => z.string().trim().min(1).max(max);
const unit = z.number().min(0).max(1);

export const HypothesisOutput = z.object({
  claim: text(300),
  description: z.string().max(2000).default(""),
  confidence: unit,
  confidence_lower: unit.optional(),
  confidence_upper: unit.optional(),
  supporting_evidence: z.array(z.string().max(500)).max(10).default([]),
  contradicting_evidence: z.array(z.string().max(500)).max(10).default([]),
});

export const NextActionOutput = z.object({
  action: text(500),
  priority: z.enum(["high", "medium", "low"]).default("medium"),
  estimated_time: z.string().max(100).default("unknown"),
  rationale: z.string().max(1000).default(""),
});

export const CommandOutput = z.object({ description: text(500), command: text(1000) });

/** What a model must answer with: seed 000's AIAnalysis plus the evidence, hypotheses and next steps. */
export const DiagnosisOutput = z.object({
  root_cause: text(2000),
  action: ActionType,
  justification: text(4000),
  confidence: unit,
  replica_count: z.number().int().min(0).default(0),
  category: z.enum(CATEGORIES).default("unknown"),
  evidence: z.array(z.string().max(500)).max(20).default([]),
  hypotheses: z.array(HypothesisOutput).max(5).default([]),
  next_actions: z.array(NextActionOutput).max(8).default([]),
  commands: z.array(CommandOutput).max(8).default([]),
});
export type DiagnosisOutput = z.infer<typeof DiagnosisOutput>;

/** The answer's JSON schema, sent as structured output and quoted in the prompt. */
export const DIAGNOSIS_JSON_SCHEMA = z.toJSONSchema(DiagnosisOutput, { io: "input" }) as Record<string, unknown>;

/**
 * Validate a parsed answer: the schema, then the rules a schema cannot say (replica cap). Returns the
 * diagnosis or the list of problems to send back to the model in the repair round.
 */
export function validateDiagnosis(
  value: unknown,
  maxReplicas: number,
): { ok: true; diagnosis: DiagnosisOutput } | { ok: false; problems: string[] } {
  const parsed = DiagnosisOutput.safeParse(value);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`) };
  }
  const d = parsed.data;
  const problems: string[] = [];
  if (d.replica_count > maxReplicas) problems.push(`replica_count: must be at most ${maxReplicas} (MAX_REPLICAS)`);
  if (d.action === "SCALE_UP" && d.replica_count < 1) problems.push("replica_count: SCALE_UP needs at least 1");
  return problems.length > 0 ? { ok: false, problems } : { ok: true, diagnosis: d };
}
