import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { AuthError } from "../shared/errors.js";

/** Paths anyone may read. */
const PUBLIC = new Set(["/health", "/status"]);
/** GET paths a browser opens directly, which may carry the key as `?token=` (WebSocket, docs). */
const TOKEN_QUERY = /^\/(ws|docs|redoc|openapi\.json)(\/|$|\?)/;

/** Constant-time comparison of raw bytes (only the key's length can leak, as with any API key). */
function keyChecker(apiKey: string): (presented: string) => boolean {
  const expected = Buffer.from(apiKey);
  return (presented) => {
    const got = Buffer.from(presented);
    return got.length === expected.length && timingSafeEqual(got, expected);
  };
}

/** The key a request presents: `X-API-Key`, `Authorization: Bearer`, or `?token=` where allowed. */
export function presentedKey(req: FastifyRequest): string | undefined {
  const header = req.headers["x-api-key"];
  if (typeof header === "string" && header) return header;
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim();
  if (req.method === "GET" && TOKEN_QUERY.test(req.url)) {
    const token = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof token === "string" && token) return token;
  }
  return undefined;
}

/** Every route but the public ones requires the admin API key. */
export function installAuth(app: FastifyInstance, apiKey: string): void {
  const check = keyChecker(apiKey);
  app.addHook("onRequest", async (req) => {
    const path = req.url.split("?")[0] ?? "";
    if (PUBLIC.has(path)) return;
    const key = presentedKey(req);
    if (!key) throw new AuthError("missing API key: send X-API-Key or Authorization: Bearer");
    if (!check(key)) throw new AuthError("invalid API key");
    req.principal = "admin";
  });
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: string;
  }
}
