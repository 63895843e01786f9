import type { AnalyzeResponse, IncidentSummaryV1 } from "@aegis/contracts";

/**
 * Seed 001 (Ops Copilot) shapes as the SDK takes and returns them. Arguments are camelCase, as the seed's
 * Node.js example writes them (`incidentDescription`); answers are the wire objects, field names unchanged
 * (`next_actions`, `ticket_url`), typed from `@aegis/contracts` where the contract lives there.
 */

export type CopilotSeverity = "critical" | "high" | "medium" | "low";

/** `client.analyze(...)`: the seed's request body in camelCase. */
export interface AnalyzeInput {
  /** 10–5000 characters. */
  incidentDescription: string;
  /** `INC-<n>`: the hypotheses are stored under that incident. */
  incidentId?: string;
  context?: { service?: string; environment?: string; region?: string; severity?: CopilotSeverity };
  options?: { includeCommands?: boolean; maxCitations?: number; includeRelatedIncidents?: boolean };
  /** Logs analysed with the description (an AegisOps addition). */
  logs?: string;
}

/**
 * What `analyze` resolves to: the response's `result` (`hypothesis`, `confidence`, `next_actions`,
 * `commands`, `citations`, `related_incidents`, …) with the envelope's `request_id`, `timestamp`,
 * `latency_ms` and `metadata` beside it, and the whole `response`.
 */
export type AnalysisResult = AnalyzeResponse["result"] &
  Pick<AnalyzeResponse, "request_id" | "timestamp" | "latency_ms" | "metadata"> & { response: AnalyzeResponse };

/** Seed 001 `GET /api/v1/incidents` query. */
export interface IncidentListInput {
  service?: string;
  /** `open`, `investigating`, `resolved`, any lifecycle state, `triggered`, or seed 000's capitals. */
  status?: string;
  severity?: string;
  /** 1–100, default 20. */
  limit?: number;
  offset?: number;
}

/** Seed 001 `GET /api/v1/incidents` answer; `incident_id` is the `INC-<n>` reference. */
export interface IncidentList {
  incidents: IncidentSummaryV1[];
  total: number;
  limit: number;
  offset: number;
}

export interface RunbookSearchInput {
  query: string;
  service?: string;
  /** 1–20, default 5. */
  topK?: number;
}

export interface TicketInput {
  incidentId?: string;
  title: string;
  description: string;
  priority: CopilotSeverity;
  assignee?: string;
}

/** Seed 001 `POST /api/v1/tickets` 201. */
export interface TicketCreated {
  ticket_id: string;
  ticket_url: string;
  created_at: string;
}

/** A stored ticket (`GET /api/v1/tickets[/{id}]`). */
export interface Ticket extends TicketCreated {
  incident_id: string | null;
  title: string;
  description: string;
  priority: string;
  assignee: string | null;
  /** Where it was filed: `jira` or `local`. */
  sink: string;
}

export type WebhookEvent =
  | "incident.created"
  | "incident.updated"
  | "incident.decided"
  | "incident.action"
  | "incident.resolved"
  | "incident.failed";

export interface WebhookInput {
  /** http or https. */
  url: string;
  events: WebhookEvent[];
  /** 16–256 characters; deliveries are signed with it (`X-Signature-256`). Never returned. */
  secret: string;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  created_at: string;
}

export interface WebhookDelivery {
  id: string;
  webhook_id: string;
  event: string;
  status: "pending" | "delivered" | "failed" | string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export type DependencyHealth = "healthy" | "unhealthy" | "not_configured";

/** Seed 001 `GET /api/v1/health`. */
export interface ApiHealth {
  status: "healthy" | "degraded" | "unhealthy";
  version: string;
  timestamp: string;
  dependencies: Record<string, DependencyHealth>;
  checks?: Record<string, { status: DependencyHealth; latency_ms: number | null; detail: string | null }>;
}
