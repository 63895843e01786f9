import { auditedBody } from "../audit-recorder.js";

/** Fields of a `/webhook` body that name the alert; the audit entry keeps them as sent. */
const NAMING = ["incident_id", "alert_type", "container_name", "severity", "alert_timestamp", "dry_run"] as const;
/** Context keys an entry lists, at most. */
const MAX_CONTEXT_KEYS = 32;

/**
 * The audit entry's form of a `/webhook` body: who sent which alert, not its evidence. The logs and the
 * context are stored with the incident itself; the entry keeps the logs' length and the context's keys.
 * Without it every alert copied its logs (up to 16 KB) into the append-only audit chain a second time
 * (ADR 0025, sixth round). A body that is not a JSON object (a refused request) keeps the hook's general
 * redacted form.
 */
export function webhookAuditBody(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return auditedBody(body);
  const b = body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of NAMING) {
    const v = b[k];
    if (typeof v === "string") out[k] = v.slice(0, 512);
    else if (typeof v === "boolean" || typeof v === "number" || v === null) out[k] = v;
  }
  if (typeof b.logs === "string") out.logs_chars = b.logs.length;
  const context = b.context;
  if (context && typeof context === "object" && !Array.isArray(context)) {
    out.context_keys = Object.keys(context).slice(0, MAX_CONTEXT_KEYS);
  }
  return out;
}
