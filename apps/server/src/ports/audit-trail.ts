/**
 * Port: the append-only, hash-chained audit log. Every mutation and every remediation is recorded;
 * services that know the state before and after a change record richer entries than the generic
 * HTTP hook can.
 */

/** Who did it: a principal (user or API key), or the product itself (`system`, e.g. the pipeline). */
export interface AuditActor {
  kind: "user" | "api_key" | "system" | "anonymous";
  id: string;
  name: string;
  role?: string | undefined;
}

export interface AuditEntry {
  projectId: string;
  actor: AuditActor;
  /** Dotted verb: `http.post`, `remediation.executed`, `council.decision`, `incident.resolved`… */
  action: string;
  resourceType: string;
  resourceId?: string | null | undefined;
  outcome: "success" | "failure";
  statusCode?: number | null | undefined;
  before?: unknown;
  after?: unknown;
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  requestId?: string | null | undefined;
  /** Defaults to now. */
  at?: Date | undefined;
}

export interface AuditTrail {
  /** Append one entry to its project's chain; resolves once it is durable. */
  record(entry: AuditEntry): Promise<void>;
}

/** The actor recorded for the product's own actions (pipeline, council, executor). */
export const SYSTEM_ACTOR: AuditActor = { kind: "system", id: "aegisops", name: "AegisOps" };
