import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";

const Health = z.object({
  status: z.string(),
  mode: z.string(),
  version: z.string(),
  ws_clients: z.number().int(),
  database: z.string(),
  executor: z.string(),
  uptime_seconds: z.number(),
  service: z.string(),
  running: z.boolean(),
  monitor: z.object({ servers_tracked: z.number().int(), warmup_complete: z.boolean() }),
});

/** Seed 000 `/health` (kept exactly) plus seed 004's `service` and `running`: public, with the WebSocket client count. */
export function registerHealthRoutes(fastify: FastifyInstance, d: AppDeps, wsClients: () => number): void {
  const started = Date.now();
  fastify.withTypeProvider<ZodTypeProvider>().get(
    "/health",
    {
      schema: {
        tags: ["system"],
        summary: "Liveness, WebSocket client count and monitor state (no key needed)",
        response: { 200: Health },
      },
    },
    () => ({
      status: "ok",
      mode: "GOD_MODE",
      version: d.version,
      ws_clients: wsClients(),
      database: d.databaseKind,
      executor: d.executor.kind,
      uptime_seconds: (Date.now() - started) / 1000,
      service: "aegisops",
      running: true,
      monitor: {
        servers_tracked: d.monitor.service.engine.serversTracked,
        warmup_complete: d.monitor.service.engine.recordCount >= d.monitor.service.engine.warmupRecords,
      },
    }),
  );
}
