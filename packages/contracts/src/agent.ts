import { z } from "zod";

/** Seed 003 `POST /agent/feedback`: in the query (as documented) or the JSON body. */
export const AgentFeedbackInput = z.object({
  incident_id: z.string().min(1).max(200),
  helpful: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]),
  accuracy: z.coerce.number().int().min(1).max(5).optional(),
  comment: z.string().max(4000).optional(),
});
export type AgentFeedbackInput = z.infer<typeof AgentFeedbackInput>;

export interface AgentFeedbackView {
  id: number;
  incident_id: string;
  helpful: boolean;
  accuracy: number | null;
  comment: string | null;
  by: { kind: string; id: string };
  created_at: string;
}

/** Seed 003 `POST /agent/analyze`: an incident to (re)analyse, or an alert given inline. */
export const AgentAnalyzeInput = z
  .object({
    incident_id: z.string().min(1).max(200).optional(),
    alert_type: z.string().min(1).max(500).optional(),
    logs: z.string().min(1).max(100_000).optional(),
    service: z.string().min(1).max(253).optional(),
    severity: z.string().min(1).max(40).optional(),
  })
  .refine((b) => b.incident_id !== undefined || (b.alert_type !== undefined && b.logs !== undefined), {
    message: "give incident_id, or alert_type and logs",
    path: ["incident_id"],
  });
export type AgentAnalyzeInput = z.infer<typeof AgentAnalyzeInput>;

export const KnowledgeBaseQuery = z.object({
  query: z.string().min(1).max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export interface PromptTemplate {
  name: string;
  used_by: string;
  description: string;
  version: string;
  template: string;
}

/**
 * Seed 003 `POST /api/v1/incidents/{id}/actions`: a remediation action a person asks for. `action` (or
 * the alias `action_type`) is one of seed 000's actions; the council reviews it like any proposal.
 */
export const IncidentActionInput = z
  .object({
    action: z.enum(["RESTART", "SCALE_UP", "SCALE_DOWN", "ROLLBACK", "NOOP"]).optional(),
    action_type: z.enum(["RESTART", "SCALE_UP", "SCALE_DOWN", "ROLLBACK", "NOOP"]).optional(),
    target: z.string().min(1).max(253).optional(),
    replicas: z.number().int().min(1).max(100).optional(),
    reason: z.string().min(1).max(2000).optional(),
    user: z.string().min(1).max(320).optional(),
    dry_run: z.boolean().optional(),
  })
  .refine((b) => b.action !== undefined || b.action_type !== undefined, {
    message: "Field required: one of RESTART, SCALE_UP, SCALE_DOWN, ROLLBACK, NOOP",
    path: ["action"],
  })
  .transform(({ action_type, ...b }) => ({ ...b, action: (b.action ?? action_type) as NonNullable<typeof b.action> }));
export type IncidentActionInput = z.output<typeof IncidentActionInput>;

export interface IncidentActionQueued {
  /** The follow-up incident that carries the action through the council. */
  action_id: string;
  reference: string;
  parent_incident_id: string;
  action: string;
  target: string | null;
  dry_run: boolean;
  status: string;
  requested_by: string;
  follow_url: string;
}

export interface RelatedIncident {
  incident_id: string;
  reference: string | null;
  title: string;
  alert_type: string;
  service: string | null;
  severity: string | null;
  root_cause: string;
  action: string;
  outcome: string;
  /** The knowledge base's retrieval score, 0..1. */
  similarity_score: number;
  /** The similarity weighted by people's feedback on that incident (±25 % at unanimous votes), 0..1. */
  score: number;
  feedback: { helpful: number; not_helpful: number; mean_accuracy: number | null };
  created_at: string | null;
}
