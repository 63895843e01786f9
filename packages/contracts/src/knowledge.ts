import { z } from "zod";
import { ActionType } from "./enums.js";

/** Outcome of a remediation, recorded on its knowledge entry. */
export const FixOutcome = z.enum(["RESOLVED", "FAILED", "ROLLED_BACK", "REOPENED"]);
export type FixOutcome = z.infer<typeof FixOutcome>;

/** Seed 000 RunbookEntry (one learned incident), plus its outcome. */
export const RunbookEntry = z.object({
  incident_id: z.string(),
  alert_type: z.string(),
  logs: z.string(),
  container_name: z.string().nullable(),
  severity: z.string().nullable(),
  root_cause: z.string(),
  action: ActionType,
  justification: z.string(),
  confidence: z.number(),
  council_approved: z.boolean(),
  replicas_used: z.number().int(),
  resolved_at: z.string().nullable(),
  outcome: FixOutcome.optional(),
});
export type RunbookEntry = z.infer<typeof RunbookEntry>;

export const RunbookList = z.object({ entries: z.array(RunbookEntry), total: z.number().int() });

export const RetrievedIncident = z.object({
  incident_id: z.string(),
  alert_type: z.string(),
  root_cause: z.string(),
  action: ActionType,
  justification: z.string(),
  logs: z.string(),
  similarity_score: z.number(),
  container_name: z.string().nullable(),
  severity: z.string().nullable(),
  replicas_used: z.number().int(),
  outcome: FixOutcome.optional(),
});
export type RetrievedIncident = z.infer<typeof RetrievedIncident>;

export const RagTestResult = z.object({
  query: z.string(),
  retrieved: z.array(RetrievedIncident),
  count: z.number().int(),
});
