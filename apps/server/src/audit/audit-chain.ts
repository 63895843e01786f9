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

/** A leaf jsonb keeps as it is: a string without NUL, a finite number other than -0, a boolean, null. */
function storedLeaf(x: unknown): boolean {
  if (x === null || typeof x === "boolean") return true;
  if (typeof x === "string") return !x.includes("\u0000");
  return typeof x === "number" && Number.isFinite(x) && !Object.is(x, -0);
}

/**
 * A flat plain object of such leaves and arrays of them (a `/webhook` entry's body): already in stored
 * form, so the JSON round trip below would only copy it.
 */
function storedFlat(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (Array.isArray(x) ? !x.every(storedLeaf) : !storedLeaf(x)) return false;
  }
  return true;
}

/** A JSON value exactly as jsonb will give it back (undefined members dropped, dates as strings). */
export function asStoredJson(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  // A copy all the same: the caller may change its object before the entry is written.
  // `fromEntries` defines own members, so a parsed body's "__proto__" stays a member, as JSON.parse keeps it.
  if (storedFlat(v))
    return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, Array.isArray(x) ? [...x] : x]));
  // jsonb refuses NUL in strings: drop it before storing and before hashing alike.
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "string" ? x.replaceAll("\u0000", "") : x)));
}
