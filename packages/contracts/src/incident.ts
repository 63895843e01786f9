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

/** One diagnosis of an incident: what it is, what it calls for, and how sure the reader is. */
export const Reading = z.object({
  /** Who read it: `builtin` for the council's own reading, else the proposing provider. */
  reader: z.string(),
  category: z.string(),
  action: ActionType,
  confidence: z.number().min(0).max(1),
});
export type Reading = z.infer<typeof Reading>;

/**
 * How the council grounded its vote (an addition to seed 000's CouncilDecision): its own reading of
 * the evidence beside the proposal's, whether that reading supports the proposed action, and the
 * evidence-derived confidence the hard policy used instead of the proposer's number.
 */
export const EvidenceCheck = z.object({
  proposal: Reading,
  independent: Reading.extend({
    /** Actions the independent diagnosis supports executing (empty: none, escalate). */
    supported_actions: z.array(ActionType),
    root_cause: z.string(),
  }),
  supported: z.boolean(),
  policy_confidence: z.number().min(0).max(1),
});
export type EvidenceCheck = z.infer<typeof EvidenceCheck>;

export const CouncilDecision = z.object({
  votes: z.array(CouncilVote),
  final_verdict: FinalVerdict,
  consensus: z.boolean(),
  summary: z.string(),
  /** Hard-policy violations that forced the verdict, if any. */
  policy_violations: z.array(z.string()).optional(),
  /** The council's independent reading beside the proposal's; absent on decisions made before it existed. */
  evidence_check: EvidenceCheck.optional(),
});
export type CouncilDecision = z.infer<typeof CouncilDecision>;

export const TimelineEntry = z.object({
  ts: z.string(),
  status: TimelineStatus,
  message: z.string(),
  agent: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/**
 * A human decision the council asked for (an addition to seed 000's IncidentResult). While it is
 * `pending` the seed-000 wire shows `status: COUNCIL_REVIEW`; it ends `approved`, `rejected` or `expired`.
 */
export const ApprovalState = z.enum(["pending", "approved", "rejected", "expired"]);
export type ApprovalState = z.infer<typeof ApprovalState>;

export const Approval = z.object({
  state: ApprovalState,
  /** Why a person must decide: the council's summary, or the restart budget spent since its review. */
  reason: z.string(),
  requested_at: z.string(),
  /** When a pending approval ends FAILED unless someone decides (AEGIS_APPROVAL_EXPIRY_SECS). */
  expires_at: z.string(),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  note: z.string().nullable(),
  /** Where to decide (member role or above). */
  approve_url: z.string(),
  reject_url: z.string(),
});
export type Approval = z.infer<typeof Approval>;

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
  /** Present once the council asked a person to decide; see `Approval`. */
  approval: Approval.nullable().optional(),
  /** Set when this alert joined an open incident (alert grouping): its status is that incident's. */
  grouped_into: z.string().nullable().optional(),
});
export type IncidentResult = z.infer<typeof IncidentResult>;
