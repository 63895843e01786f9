import { z } from "zod";
import { ActionType, CouncilRole, FinalVerdict, IncidentStatus, TimelineStatus, Verdict } from "./enums.js";

/** Seed 000 AIAnalysis. */
export const AIAnalysis = z.object({
  root_cause: z.string(),
  action: ActionType,
  justification: z.string(),
  confidence: z.number().min(0).max(1),
  replica_count: z.number().int().min(0).default(2),
});
export type AIAnalysis = z.infer<typeof AIAnalysis>;

export const CouncilVote = z.object({
  role: CouncilRole,
  verdict: Verdict,
  reasoning: z.string(),
  timestamp: z.string(),
});
export type CouncilVote = z.infer<typeof CouncilVote>;

export const CouncilDecision = z.object({
  votes: z.array(CouncilVote),
  final_verdict: FinalVerdict,
  consensus: z.boolean(),
  summary: z.string(),
  /** Hard-policy violations that forced the verdict, if any. */
  policy_violations: z.array(z.string()).optional(),
});
export type CouncilDecision = z.infer<typeof CouncilDecision>;

export const TimelineEntry = z.object({
  ts: z.string(),
  status: TimelineStatus,
  message: z.string(),
  agent: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** Seed 000 IncidentResult, a documented superset. */
export const IncidentResult = z.object({
  incident_id: z.string(),
  alert_type: z.string(),
  status: IncidentStatus,
  analysis: AIAnalysis.nullable(),
  council_decision: CouncilDecision.nullable(),
  resolved_at: z.string().nullable(),
  error: z.string().nullable(),
  replicas_spawned: z.number().int(),
  timeline: z.array(TimelineEntry),
  container_name: z.string().nullable().optional(),
  severity: z.string().nullable().optional(),
  dry_run: z.boolean().optional(),
  created_at: z.string().optional(),
});
export type IncidentResult = z.infer<typeof IncidentResult>;
