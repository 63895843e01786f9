import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import type { AuditDraft } from "../store/audit-store.js";

/**
 * The content a row's hash covers, in canonical form (keys sorted, no whitespace): everything but the
 * hashes themselves. `before`/`after` are taken as jsonb returns them, so a re-read row hashes the same.
 */
export function canonicalContent(d: AuditDraft, seq: number): string {
  return stringify({
    project_id: d.projectId,
    seq,
    at: d.at.toISOString(),
    actor: { kind: d.actorKind, id: d.actorId, name: d.actorName, role: d.actorRole },
    action: d.action,
    resource: { type: d.resourceType, id: d.resourceId },
    outcome: d.outcome,
    status_code: d.statusCode,
    before: d.before ?? null,
    after: d.after ?? null,
    ip: d.ip,
    user_agent: d.userAgent,
    request_id: d.requestId,
  }) as string;
}

/** SHA-256 (hex) over the previous row's hash and this row's canonical content. */
export function chainHash(prevHash: string, d: AuditDraft, seq: number): string {
  return createHash("sha256").update(prevHash).update("\n").update(canonicalContent(d, seq)).digest("hex");
}

/** A JSON value exactly as jsonb will give it back (undefined members dropped, dates as strings). */
export function asStoredJson(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  // jsonb refuses NUL in strings: drop it before storing and before hashing alike.
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "string" ? x.replaceAll("\u0000", "") : x)));
}
