import { z } from "zod";

/** Remediation actions an analyst may propose (seed 000 ActionType). */
export const ActionType = z.enum(["RESTART", "SCALE_UP", "SCALE_DOWN", "ROLLBACK", "NOOP"]);
export type ActionType = z.infer<typeof ActionType>;

/** Incident lifecycle status, a superset of seed 000's ResolutionStatus. */
export const IncidentStatus = z.enum([
  "RECEIVED",
  "ANALYSING",
  "COUNCIL_REVIEW",
  "AWAITING_APPROVAL",
  "APPROVED",
  "REJECTED",
  "EXECUTING",
  "SCALING",
  "VERIFYING",
  "RESOLVED",
  "FAILED",
]);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** Statuses after which an incident's pipeline never runs again. */
export const TERMINAL_STATUSES: readonly IncidentStatus[] = ["RESOLVED", "FAILED"];

/** Timeline entry statuses: the lifecycle statuses plus the seed's intermediate markers. */
export const TimelineStatus = z.enum([
  ...IncidentStatus.options,
  "RAG_RETRIEVAL",
  "AI_COMPLETE",
  "COUNCIL_VOTE",
  "COUNCIL_DECISION",
  "RESTARTED",
  "SCALED",
  "ROLLED_BACK",
  "HUMAN_DECISION",
  "RESUMED",
  /** Escalation: a page sent (or suppressed), an escalation started, stopped or exhausted. */
  "PAGED",
]);
export type TimelineStatus = z.infer<typeof TimelineStatus>;

export const Severity = z.enum(["CRITICAL", "WARNING", "INFO"]);
export type Severity = z.infer<typeof Severity>;

export const CouncilRole = z.enum(["SRE_AGENT", "SECURITY_OFFICER", "AUDITOR"]);
export type CouncilRole = z.infer<typeof CouncilRole>;

export const Verdict = z.enum(["APPROVED", "REJECTED", "NEEDS_REVIEW"]);
export type Verdict = z.infer<typeof Verdict>;

/** Final council verdict: NEEDS_REVIEW means a human must approve or reject. */
export const FinalVerdict = z.enum(["APPROVED", "REJECTED", "NEEDS_REVIEW"]);
export type FinalVerdict = z.infer<typeof FinalVerdict>;
