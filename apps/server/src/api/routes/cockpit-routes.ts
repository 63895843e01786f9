import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/** `apps/cockpit/dist`, from this file in `apps/server/src` or `apps/server/dist` alike. */
export const COCKPIT_DIST = resolve(fileURLToPath(import.meta.url), "../../../../../cockpit/dist");

/**
 * The page's policy: scripts and styles from this origin only (React Flow and charts set inline style
 * attributes), API and WebSocket calls to this origin, no framing.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

function sendIndex(reply: FastifyReply) {
  return reply
    .header("cache-control", "no-cache")
    .header("content-security-policy", CSP)
    .header("x-content-type-options", "nosniff")
    .sendFile("index.html", { cacheControl: false });
}

/**
 * The SRE Cockpit (apps/cockpit, built by `npm run build`) at `/`: its hashed assets under `/assets/`, and
 * `index.html` for `/` and every client route under `/ui/` (the app routes itself). API paths are untouched.
 * Without a build, `/` says how to make one.
 */
export async function registerCockpitRoutes(app: FastifyInstance, root = COCKPIT_DIST): Promise<void> {
  if (!existsSync(resolve(root, "index.html"))) {
    const missing = { error: "the cockpit is not built: run `npm run build`", code: "cockpit_not_built" };
    app.get("/", { schema: { hide: true } }, (_req, reply) => reply.code(503).send(missing));
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    // Only the files built (no catch-all route), so unknown paths keep the API's own 404.
    wildcard: false,
    index: false,
    serve: true,
    setHeaders: (res, path) => {
      // Asset names carry their content hash: cache them for good.
      if (path.includes("/assets/")) res.header("cache-control", "public, max-age=31536000, immutable");
      res.header("x-content-type-options", "nosniff");
    },
    schemaHide: true,
  });
  app.get("/", { schema: { hide: true } }, (_req, reply) => sendIndex(reply));
  app.get("/ui", { schema: { hide: true } }, (_req, reply) => sendIndex(reply));
  app.get("/ui/*", { schema: { hide: true } }, (_req, reply) => sendIndex(reply));
}
