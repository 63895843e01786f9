import { z } from "zod";

/** Seed 003 success envelope around `data`. */
export function onCallOk<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), message: z.string(), data });
}

/** Seed 003 paginated body (inside the success envelope's `data`). */
export function onCallPage<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
    has_next: z.boolean(),
  });
}

/**
 * A seed 003 page as both of its documented formats read it: the success envelope with the page as
 * `data`, and the *Paginated Response* (`items`, `total`, `page`, `page_size`, `has_next`) at the top.
 */
export function onCallPaged<T extends z.ZodType>(item: T) {
  return onCallOk(onCallPage(item)).extend(onCallPage(item).shape);
}

export const AuditActor = z.object({
  kind: z.enum(["user", "api_key", "system", "anonymous"]),
  id: z.string(),
  name: z.string(),
  role: z.string().nullable(),
});

/** One row of the audit log, with its place in the project's hash chain. */
export const AuditLogEntry = z.object({
  id: z.string().describe("`{project}:{seq}`"),
  seq: z.number().int(),
  timestamp: z.string(),
  actor: AuditActor,
  /** Seed 003's `user` filter matches the actor's id or name. */
  user: z.string(),
  action: z.string(),
  resource_type: z.string(),
  resource_id: z.string().nullable(),
  outcome: z.enum(["success", "failure"]),
  status_code: z.number().int().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable(),
  prev_hash: z.string(),
  hash: z.string(),
});
export type AuditLogEntry = z.infer<typeof AuditLogEntry>;

export const AuditVerification = z.object({
  valid: z.boolean(),
  rows_checked: z.number().int(),
  head_seq: z.number().int(),
  head_hash: z.string(),
  first_broken: z
    .object({
      seq: z.number().int(),
      reason: z.enum(["hash_mismatch", "prev_hash_mismatch", "sequence_gap", "missing_tail"]),
      expected: z.string(),
      found: z.string(),
    })
    .nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

export const RolePermissions = z.object({
  project_id: z.string(),
  project_name: z.string(),
  role: z.enum(["owner", "admin", "member", "viewer"]),
  permissions: z.array(z.string()),
});

export const UserPermissions = z.object({
  user_email: z.string(),
  user_id: z.string(),
  full_name: z.string(),
  projects: z.array(RolePermissions),
});
export type UserPermissions = z.infer<typeof UserPermissions>;

export const AccessLogEntry = z.object({
  id: z.number().int(),
  timestamp: z.string(),
  principal: z.object({ kind: z.string(), id: z.string(), name: z.string() }).nullable(),
  method: z.string(),
  route: z.string(),
  path: z.string(),
  status_code: z.number().int(),
  latency_ms: z.number(),
  ip_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable(),
});
export type AccessLogEntry = z.infer<typeof AccessLogEntry>;

export const SecurityEventEntry = z.object({
  id: z.string(),
  timestamp: z.string(),
  type: z.string(),
  severity: z.enum(["low", "medium", "high", "critical"]),
  message: z.string(),
  principal: z.string().nullable(),
  ip_address: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type SecurityEventEntry = z.infer<typeof SecurityEventEntry>;

export const ComplianceControl = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(["pass", "fail", "not_available", "not_configured"]),
  evidence: z.string(),
});
export type ComplianceControl = z.infer<typeof ComplianceControl>;

export const ComplianceReport = z.object({
  generated_at: z.string(),
  passed: z.number().int(),
  failed: z.number().int(),
  not_available: z.number().int(),
  controls: z.array(ComplianceControl),
});
export type ComplianceReport = z.infer<typeof ComplianceReport>;

const Offender = z.object({ key: z.string(), events: z.number().int() });

export const ThreatDetection = z.object({
  generated_at: z.string(),
  status: z.enum(["quiet", "elevated", "under_attack"]),
  detectors: z.array(
    z.object({
      type: z.string(),
      last_hour: z.number().int(),
      last_24h: z.number().int(),
      last_event_at: z.string().nullable(),
    }),
  ),
  top_ips: z.array(Offender),
  top_principals: z.array(Offender),
});
export type ThreatDetection = z.infer<typeof ThreatDetection>;
