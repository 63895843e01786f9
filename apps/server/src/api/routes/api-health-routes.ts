import { CopilotError } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import type { RouteRateLimit } from "../copilot-rate-limits.js";
import { copilotPaths, isExamplePath } from "./copilot-paths.js";

const CheckStatus = z.enum(["healthy", "unhealthy", "not_configured"]);

const ApiHealth = z.object({
  status: z.enum(["healthy", "degraded", "unhealthy"]),
  version: z.string(),
  timestamp: z.string(),
  dependencies: z.record(z.string(), CheckStatus),
  checks: z.record(
    z.string(),
    z.object({ status: CheckStatus, latency_ms: z.number().nullable(), detail: z.string() }),
  ),
});

/** Seed 001 `GET /api/v1/health`: every dependency really probed, with its latency. */
export function registerApiHealthRoutes(fastify: FastifyInstance, d: AppDeps, rateLimit: RouteRateLimit): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  for (const url of copilotPaths("/api/v1/health"))
    app.get(
      url,
      {
        config: { rateLimit },
        schema: {
          hide: isExamplePath(url),
          tags: ["system"],
          summary: "Dependency health: database, vector search, LLM providers, executor",
          description:
            "`dependencies` is seed 001's summary (database, vector_db, llm_api, executor, and redis and elasticsearch, which AegisOps does not use: always `not_configured`); `checks` has each probe with `latency_ms` (LLM providers one by one as `llm:<name>`). A dependency that is not configured says `not_configured` and counts for nothing. The database down → `unhealthy` (HTTP 503); any other configured dependency down → `degraded` (HTTP 200). Probes run at most every 5 s.",
          response: { 200: ApiHealth, 503: ApiHealth, 401: CopilotError, 429: CopilotError },
        },
      },
      async (_req, reply) => {
        const r = await d.dependencyHealth.report();
        return reply.code(r.status === "unhealthy" ? 503 : 200).send({
          status: r.status,
          version: d.version,
          timestamp: new Date().toISOString(),
          dependencies: r.dependencies,
          checks: r.checks,
        });
      },
    );
}
