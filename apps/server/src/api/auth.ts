import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Authenticator, Principal } from "../ports/identity.js";
import { AuthError } from "../shared/errors.js";

/** Paths anyone may reach: health, and the sign-up / sign-in endpoints that issue credentials. */
const PUBLIC = new Set(["/health", "/status", "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh"]);
/** The cockpit's page, client routes and built assets: the app signs in itself, through the API. */
const COCKPIT = /^\/($|index\.html$|ui(\/|$)|assets\/)/;
/** Chat callbacks carry no API key: each is verified by its integration's signature (routes/chat-callback-routes.ts). */
const SIGNED_CALLBACK = /^\/api\/v1\/chat\/(slack|teams)\//;
/** Alert sources post to a URL holding the project's intake token; their route checks it (alert-source-routes). */
const SELF_AUTHENTICATED = /^\/api\/v1\/alert-sources\/[a-z]+\/[^/?]+$/;
/** Seed 002's WebSocket clients authenticate after connecting (a `connect` message): a credential is optional. */
const CREDENTIAL_OPTIONAL = new Set(["/ws"]);
/** GET paths a browser opens directly, which may carry the key as `?token=` (WebSockets, docs, the SSE log stream). */
const TOKEN_QUERY = /^\/(ws|docs|redoc|openapi\.json|api\/v1\/monitoring\/(ws\/metrics|logs\/stream))(\/|$|\?)/;

/**
 * The key a request presents: `X-API-Key`, `Authorization: Bearer`, `?token=` where allowed, else the
 * browser's `access_token` cookie (httpOnly, SameSite=Strict, so another site cannot ride on it).
 */
export function presentedKey(req: FastifyRequest): string | undefined {
  const header = req.headers["x-api-key"];
  if (typeof header === "string" && header) return header;
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim();
  if (req.method === "GET" && TOKEN_QUERY.test(req.url)) {
    const token = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof token === "string" && token) return token;
  }
  return req.cookies?.access_token || undefined;
}

/** Every route but the public ones requires a credential; the request then carries its principal and project. */
export function installAuth(app: FastifyInstance, authenticator: Authenticator): void {
  app.addHook("onRequest", async (req) => {
    // A signed download link already named its principal (signed-download-hook.ts, ADR 0021).
    if (req.principal) return;
    const path = req.url.split("?")[0] ?? "";
    if (PUBLIC.has(path) || ((req.method === "GET" || req.method === "HEAD") && COCKPIT.test(path))) return;
    if (SIGNED_CALLBACK.test(path)) return;
    if (req.method === "POST" && SELF_AUTHENTICATED.test(path)) return;
    const key = presentedKey(req);
    if (!key && CREDENTIAL_OPTIONAL.has(path)) return;
    if (!key) throw new AuthError("missing API key: send X-API-Key or Authorization: Bearer");
    const identity = await authenticator.authenticate(key);
    if (!identity) throw new AuthError("invalid API key");
    req.principal = identity.principal;
    req.projectId = identity.projectId;
    req.sessionId = identity.sessionId;
  });
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the auth hook on every non-public route. */
    principal?: Principal;
    /** The project the request acts on: the one its credential belongs to. */
    projectId?: string;
    /** A signed-in user's session (refresh-token family); absent for API keys. */
    sessionId?: string | undefined;
  }
}
