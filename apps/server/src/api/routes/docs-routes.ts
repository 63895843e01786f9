import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FastifyInstance } from "fastify";

const require = createRequire(import.meta.url);

/** `/openapi.json` and `/redoc` (Swagger UI at `/docs` is registered with the swagger plugin). */
export function registerDocsRoutes(app: FastifyInstance): void {
  let redocJs: string | null = null;
  app.get("/openapi.json", { schema: { hide: true } }, () => app.swagger());
  app.get("/redoc/redoc.standalone.js", { schema: { hide: true } }, (_req, reply) => {
    redocJs ??= readFileSync(require.resolve("redoc/bundles/redoc.standalone.js"), "utf8");
    reply.type("application/javascript").header("cache-control", "max-age=3600").send(redocJs);
  });
  app.get("/redoc", { schema: { hide: true } }, (req, reply) => {
    const token = (req.query as { token?: string }).token;
    const spec = `/openapi.json${token ? `?token=${encodeURIComponent(token)}` : ""}`;
    reply
      .type("text/html")
      .send(
        `<!doctype html><html><head><title>AegisOps API — ReDoc</title><meta charset="utf-8"/></head><body><redoc spec-url="${spec}"></redoc><script src="/redoc/redoc.standalone.js${token ? `?token=${encodeURIComponent(token)}` : ""}"></script></body></html>`,
      );
  });
}
