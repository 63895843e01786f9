import type { AccessLogWriter } from "../audit/access-log-writer.js";
import type { ApiKeyWatch } from "../audit/api-key-watch.js";
import type { SecurityEvents } from "../ports/security-events.js";
import type { AnsweredListener, AnsweredRequest } from "./answered-request.js";

/** Where accounts emit their own, richer events (failed sign-in, throttling, token reuse). */
const ACCOUNT_PATHS = new Set(["/api/v1/auth/login", "/api/v1/auth/refresh"]);

function refusal(req: AnsweredRequest, status: number): Parameters<SecurityEvents["emit"]>[0] | null {
  const path = req.path;
  const who = req.principal ? `${req.principal.kind}:${req.principal.id}` : null;
  const base = { projectIds: req.projectId ? [req.projectId] : [], principal: who, ip: req.ip };
  const details = { method: req.method, path, route: req.route ?? null };
  if (status === 401 && !ACCOUNT_PATHS.has(path)) {
    return { ...base, type: "auth_failed", severity: "low", message: `unauthenticated ${req.method} ${path}`, details };
  }
  if (status === 403) {
    return {
      ...base,
      type: "authz_denied",
      severity: "medium",
      message: `${who} refused ${req.method} ${path}`,
      details,
    };
  }
  if (status === 429 && !ACCOUNT_PATHS.has(path)) {
    return {
      ...base,
      type: "rate_limited",
      severity: "low",
      message: `rate limit hit on ${req.method} ${path}`,
      details,
    };
  }
  return null;
}

/**
 * Every request, once answered: one access-log row (buffered, written in batches), a security event for
 * refusals (401, 403, 429), and, for API keys, the address it came from.
 */
export function accessLogRecorder(deps: {
  access: Pick<AccessLogWriter, "record">;
  events: SecurityEvents;
  keys: Pick<ApiKeyWatch, "used">;
}): AnsweredListener {
  return (req) => {
    const p = req.principal;
    deps.access.record({
      projectId: req.projectId ?? null,
      at: new Date(),
      principalKind: p?.kind ?? null,
      principalId: p?.id ?? null,
      principalName: p?.displayName ?? null,
      method: req.method,
      route: req.route ?? req.path,
      path: req.path.slice(0, 2048),
      status: req.status,
      latencyMs: req.latencyMs,
      ip: req.ip,
      userAgent: req.userAgent?.slice(0, 512) ?? null,
      requestId: req.requestId,
    });
    const event = refusal(req, req.status);
    if (event) deps.events.emit(event);
    if (p?.kind === "api_key" && req.projectId)
      void deps.keys.used({ id: p.id, name: p.displayName }, req.projectId, req.ip);
  };
}
