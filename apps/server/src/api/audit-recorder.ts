import type { AuditLog } from "../audit/audit-log.js";
import { redactSecrets } from "../audit/redact.js";
import type { AuditActor } from "../ports/audit-trail.js";
import type { Principal } from "../ports/identity.js";
import type { AnsweredListener } from "./answered-request.js";

const VERBS: Record<string, string> = { POST: "create", PUT: "replace", PATCH: "update", DELETE: "delete" };
/** Bodies above this many characters of JSON are kept as a preview (a webhook may carry 1 MB of logs). */
const MAX_BODY_CHARS = 16 * 1024;

export function actorOf(p: Principal | undefined): AuditActor {
  return p
    ? { kind: p.kind, id: p.id, name: p.displayName, role: p.role }
    : { kind: "anonymous", id: "anonymous", name: "anonymous" };
}

/** The request body as the audit log keeps it: secrets redacted, large bodies cut to a preview. */
export function auditedBody(body: unknown): unknown {
  if (body === undefined || body === null) return null;
  const redacted = redactSecrets(body);
  const json = JSON.stringify(redacted) ?? "null";
  if (json.length <= MAX_BODY_CHARS) return redacted;
  return { truncated: true, chars: json.length, preview: json.slice(0, 4096) };
}

/** The id of the resource a route acts on: its `id`-like path parameter, if any. */
function resourceIdOf(params: unknown): string | null {
  if (!params || typeof params !== "object") return null;
  const entries = Object.entries(params as Record<string, unknown>);
  const named = entries.find(([k]) => k === "id" || k.endsWith("_id") || k.endsWith("Id")) ?? entries[0];
  return named && typeof named[1] === "string" ? named[1] : null;
}

/**
 * Every mutating request (POST, PUT, PATCH, DELETE), refused or not, becomes an audit entry once its
 * response is sent: actor, route, status, the body (redacted) as `after`, address, user agent, request id.
 * Requests no credential identified go to the operator's project (they belong to no tenant).
 */
export function auditRecorder(audit: Pick<AuditLog, "recordLater">, operatorProjectId: string): AnsweredListener {
  return (req) => {
    const verb = VERBS[req.method];
    if (!verb) return;
    // A route that records its own entries (the MCP endpoint: one POST may or may not change anything).
    if (req.auditsItself && req.status < 400) return;
    audit.recordLater({
      projectId: req.projectId ?? operatorProjectId,
      actor: actorOf(req.principal),
      action: `http.${verb}`,
      resourceType: req.route ?? req.path,
      resourceId: resourceIdOf(req.params),
      outcome: req.status < 400 ? "success" : "failure",
      statusCode: req.status,
      after: (req.auditBody ?? auditedBody)(req.body),
      ip: req.ip,
      userAgent: req.userAgent ?? null,
      requestId: req.requestId,
    });
  };
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route writes its own audit entries for what it changes; the hook skips its successful requests. */
    auditsItself?: boolean;
    /** The route's own audit form of its body (a large batch as a summary); else the redacted copy above. */
    auditBody?: (body: unknown) => unknown;
  }
}
