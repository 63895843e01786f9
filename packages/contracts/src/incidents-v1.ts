import { z } from "zod";
import { Citation, NextAction, SuggestedCommand } from "./analysis.js";
import { IncidentStatus, TimelineStatus } from "./enums.js";
import { IncidentContext } from "./incident-payload.js";

/**
 * The one incident resource under /api/v1 (seeds 001, 002, 003), over the same incidents seed 000's
 * `/webhook` creates. Two orthogonal fields: `state` is the human lifecycle, `automation_status` is
 * seed 000's pipeline status.
 */

/** The human lifecycle (seed 002 `state`). */
export const LifecycleState = z.enum([
  "detected",
  "acknowledged",
  "investigating",
  "mitigated",
  "resolved",
  "learned",
  "inconclusive",
]);
export type LifecycleState = z.infer<typeof LifecycleState>;

/** Seed 002 severities; other strings (seed 000's CRITICAL/WARNING/INFO, a webhook's own) are kept as sent. */
export const SeverityV1 = z.enum(["critical", "high", "medium", "low", "info"]);

/** POST /api/v1/incidents: seed 002's body, seed 001/003 synonyms, and whether the automation may act. */
export const CreateIncidentV1 = z.object({
  title: z.string().trim().min(1).max(500),
  description: z.string().max(100_000).optional(),
  service_name: z.string().min(1).max(253).optional(),
  service: z.string().min(1).max(253).optional(),
  severity: SeverityV1.default("medium"),
  logs: z.string().max(1_000_000).optional(),
  context: IncidentContext.optional(),
  /**
   * false: the pipeline may act (restart, scale, roll back) once the council approves. Default true:
   * a person who opens an incident by hand gets diagnosis, council review and a proposal, and decides.
   */
  dry_run: z.boolean().default(true),
});
export type CreateIncidentV1 = z.infer<typeof CreateIncidentV1>;

/** PATCH /api/v1/incidents/{id} (seed 003 update): descriptive fields, and optionally the state. */
export const UpdateIncidentV1 = z
  .object({
    title: z.string().trim().min(1).max(500),
    description: z.string().max(100_000),
    service_name: z.string().min(1).max(253),
    severity: SeverityV1,
    state: LifecycleState,
    note: z.string().max(2000),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, "at least one field is required");
export type UpdateIncidentV1 = z.infer<typeof UpdateIncidentV1>;

/** PATCH /api/v1/incidents/{id}/state (seed 002). */
export const StateChangeV1 = z.object({ state: LifecycleState, note: z.string().max(2000).optional() });
export type StateChangeV1 = z.infer<typeof StateChangeV1>;

/** One lifecycle change, attributed to the principal that made it. */
export const TransitionV1 = z.object({
  from: LifecycleState,
  to: LifecycleState,
  at: z.string(),
  by: z.object({ kind: z.string(), id: z.string() }),
  note: z.string().nullable(),
});
export type TransitionV1 = z.infer<typeof TransitionV1>;

/** A list item: seed 001's and seed 002's fields side by side. */
export const IncidentSummaryV1 = z.object({
  id: z.string(),
  incident_id: z.string(),
  /** `INC-<n>`, accepted wherever an id is. */
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  service_name: z.string().nullable(),
  affected_services: z.array(z.string()),
  severity: z.string().nullable(),
  state: LifecycleState,
  /** Seed 001 `status`: the lifecycle state. */
  status: LifecycleState,
  automation_status: IncidentStatus,
  dry_run: z.boolean(),
  project_id: z.string(),
  detected_at: z.string(),
  acknowledged_at: z.string().nullable(),
  investigating_started_at: z.string().nullable(),
  mitigated_at: z.string().nullable(),
  /** When a person marked it resolved (lifecycle); the pipeline's own end is `automation.resolved_at`. */
  resolved_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type IncidentSummaryV1 = z.infer<typeof IncidentSummaryV1>;

/** The detail: the summary plus the automation's record and the lifecycle history. */
export const IncidentV1 = IncidentSummaryV1.extend({
  duration_seconds: z.number().nullable(),
  hypothesis: z.string().nullable(),
  resolution: z.string().nullable(),
  /** Seed 001's analysis of the incident: next steps and commands for its diagnosis, and the evidence cited. Null before the diagnosis. */
  analysis: z
    .object({ next_actions: z.array(NextAction), commands: z.array(SuggestedCommand), citations: z.array(Citation) })
    .nullable()
    .optional(),
  automation: z.object({
    status: IncidentStatus,
    alert_type: z.string(),
    container_name: z.string().nullable(),
    root_cause: z.string().nullable(),
    action: z.string().nullable(),
    confidence: z.number().nullable(),
    final_verdict: z.string().nullable(),
    resolved_at: z.string().nullable(),
    error: z.string().nullable(),
    replicas_spawned: z.number(),
  }),
  transitions: z.array(TransitionV1),
  allowed_transitions: z.array(LifecycleState),
});
export type IncidentV1 = z.infer<typeof IncidentV1>;

/**
 * One incident for an API-key caller, where seeds 001 and 003 share the path: the bare detail (seed 001,
 * and seed 002's create) with seed 003's success envelope `{success, message, data}` beside it.
 */
export const IncidentV1Enveloped = IncidentV1.extend({
  success: z.literal(true),
  message: z.string(),
  data: IncidentV1,
});
export type IncidentV1Enveloped = z.infer<typeof IncidentV1Enveloped>;

/** Seed 002 `PATCH …/state` answer, plus the detail's lifecycle fields. */
export const StateChangedV1 = z.object({
  id: z.string(),
  reference: z.string(),
  state: LifecycleState,
  previous_state: LifecycleState,
  changed_at: z.string(),
  changed_by: z.object({ kind: z.string(), id: z.string() }),
  acknowledged_at: z.string().nullable(),
  investigating_started_at: z.string().nullable(),
  mitigated_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
  allowed_transitions: z.array(LifecycleState),
});
export type StateChangedV1 = z.infer<typeof StateChangedV1>;

/** One step of the pipeline, timed from the timeline: it lasts until the next entry. */
export const WorkflowStepV1 = z.object({
  index: z.number().int(),
  name: TimelineStatus,
  message: z.string(),
  agent: z.string().nullable(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
});
export const WorkflowV1 = z.object({
  incident_id: z.string(),
  reference: z.string(),
  automation_status: IncidentStatus,
  finished: z.boolean(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  total_duration_ms: z.number().nullable(),
  steps: z.array(WorkflowStepV1),
});
export type WorkflowV1 = z.infer<typeof WorkflowV1>;

/** Per-incident figures from stored data; null where nothing recorded the figure. */
export const IncidentMetricsV1 = z.object({
  incident_id: z.string(),
  reference: z.string(),
  state: LifecycleState,
  automation_status: IncidentStatus,
  time_to_acknowledge_seconds: z.number().nullable(),
  time_to_mitigate_seconds: z.number().nullable(),
  time_to_resolve_seconds: z.number().nullable(),
  automation_duration_seconds: z.number().nullable(),
  model_calls: z.number().int(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  cost_usd: z.number(),
  cache_hits: z.number().int(),
  hypotheses: z.number().int(),
  notes: z.array(z.string()),
});
export type IncidentMetricsV1 = z.infer<typeof IncidentMetricsV1>;

/** Seed 001 list envelope. */
export const IncidentListV1Seed001 = z.object({
  incidents: z.array(IncidentSummaryV1),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
const IncidentPageV1 = z.object({
  items: z.array(IncidentSummaryV1),
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  has_next: z.boolean(),
});
/**
 * Seed 003 list: its paginated body inside its success envelope, and the same *Paginated Response*
 * fields at the top (the seed documents both formats).
 */
export const IncidentListV1Seed003 = IncidentPageV1.extend({
  success: z.literal(true),
  message: z.string(),
  data: IncidentPageV1,
});
/** Seed 002 answers a bare array. */
export const IncidentListV1Seed002 = z.array(IncidentSummaryV1);
