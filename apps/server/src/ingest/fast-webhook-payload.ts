import { type IncidentPayload, MAX_LOG_CHARS } from "@aegis/contracts";

/** Keys a plainly valid seed-000 webhook body may carry (`context` sends it to the general path). */
const KNOWN = new Set(["incident_id", "alert_type", "logs", "container_name", "severity", "timestamp", "dry_run"]);

const text = (v: unknown, min: number, max: number) => typeof v === "string" && v.length >= min && v.length <= max;
const nullishText = (v: unknown, min: number, max: number) => v === undefined || v === null || text(v, min, max);

/**
 * The `/webhook` hot path's validation: the body itself when it is plainly a valid `IncidentPayload`
 * (a JSON object of the seed's fields only, each within the contract's bounds, no `context`), else
 * null, and the caller runs the contract's own validator, which gives the answer and the exact error
 * envelope. It only ever says yes where the contract would accept the body unchanged.
 */
export function fastWebhookPayload(body: unknown): IncidentPayload | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  if (Object.getPrototypeOf(body) !== Object.prototype) return null;
  const b = body as Record<string, unknown>;
  for (const k in b) if (!KNOWN.has(k)) return null;
  if (!text(b.incident_id, 1, 200) || !text(b.alert_type, 1, 500) || !text(b.logs, 0, MAX_LOG_CHARS)) return null;
  if (!nullishText(b.container_name, 1, 253) || !nullishText(b.severity, 0, 40)) return null;
  if (!nullishText(b.timestamp, 0, 64)) return null;
  if (b.dry_run !== undefined && typeof b.dry_run !== "boolean") return null;
  return b as IncidentPayload;
}
