import fastifyCors from "@fastify/cors";
import type { FastifyInstance } from "fastify";

/** What a listed origin's browser may send and read (preflight answer; `Retry-After` etc. readable by scripts). */
export const CORS_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
export const CORS_ALLOWED_HEADERS = ["Content-Type", "Authorization", "X-API-Key", "Last-Event-ID", "X-Request-ID"];
export const CORS_EXPOSED_HEADERS = [
  "Content-Disposition",
  "Retry-After",
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-RateLimit-Reset",
  "X-Total-Count",
];
/** Seconds a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_SECS = 600;

/**
 * Seed 003: "all endpoints support CORS for browser-based access" — for the origins the operator lists
 * (AEGIS_CORS_ORIGINS), and only those. A listed origin is reflected with credentials allowed and its
 * preflight answered (204) before authentication; any other origin gets no CORS header at all, so its
 * browser refuses the answer. Registered before the auth hook, the headers are on error answers too
 * (a 401 or 429 a listed origin's script can read). With no origin listed nothing is installed: the
 * cockpit is served from the API's own origin and needs no CORS.
 */
export async function installCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins.map((o) => o.toLowerCase()));
  await app.register(fastifyCors, {
    // Reflect a listed origin exactly; `false` (not an array) so a refused origin gets no credentials header either.
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin.toLowerCase()) ? origin : false),
    credentials: true,
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECS,
    strictPreflight: true,
  });
}
