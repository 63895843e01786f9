import {
  DetailError,
  EnvironmentHistoryResponse,
  ExportTable,
  HistoryAlertsResponse,
  HistoryExportResponse,
  HistorySummaryResponse,
  ServerHistoryResponse,
  TimeRange,
} from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { type MonitorRateLimits, rateLimitOf } from "../monitor-rate-limits.js";

const errors = { 401: DetailError, 422: DetailError, 429: DetailError };
const serverName = z.string().min(1).max(200);

/**
 * Seed 004 `/historical/*`: alert events, per-server history and fleet snapshots over a
 * `time_range` that ends at the monitor's "now" (the newest record's time: replayed or
 * simulated data has its own clock).
 */
export function registerMonitorHistoryRoutes(fastify: FastifyInstance, d: AppDeps, limits: MonitorRateLimits): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const h = d.monitor.history;
  const now = () => d.monitor.service.now();
  const config = { rateLimit: rateLimitOf(limits.read) };
  const range = (def: TimeRange) => z.object({ time_range: TimeRange.default(def) });

  app.get(
    "/historical/summary",
    {
      config,
      schema: {
        tags: ["monitor"],
        summary: "Alert and fleet-health summary for executive reporting",
        description:
          "`incidents_prevented`: warnings raised in the range that resolved without the server ever reaching critical. Averages are null when nothing happened in the range.",
        querystring: range("1d"),
        response: {
          200: HistorySummaryResponse,
          ...errors,
        },
      },
    },
    async (req) => ({
      success: true as const,
      time_range: req.query.time_range,
      ...(await h.summary(req.query.time_range, now())),
    }),
  );

  app.get(
    "/historical/alerts",
    {
      config,
      schema: {
        tags: ["monitor"],
        summary: "Alert level changes (raised, escalated, de-escalated, resolved) in a time range",
        querystring: range("1h").extend({ server_name: serverName.optional() }),
        response: {
          200: HistoryAlertsResponse,
          ...errors,
        },
      },
    },
    async (req) => {
      const alerts = await h.alerts(req.query.time_range, now(), req.query.server_name);
      return { success: true as const, time_range: req.query.time_range, count: alerts.length, alerts };
    },
  );

  app.get(
    "/historical/server/:server_name",
    {
      config,
      schema: {
        tags: ["monitor"],
        summary: "One server's alert history: counts, time-weighted risk, time in warning/critical, trend",
        params: z.object({ server_name: serverName }),
        querystring: range("1d"),
        response: {
          200: ServerHistoryResponse,
          ...errors,
        },
      },
    },
    async (req) => ({
      success: true as const,
      time_range: req.query.time_range,
      ...(await h.server(req.params.server_name, req.query.time_range, now())),
    }),
  );

  app.get(
    "/historical/environment",
    {
      config,
      schema: {
        tags: ["monitor"],
        summary: "Fleet-health snapshots over time",
        querystring: range("1h"),
        response: {
          200: EnvironmentHistoryResponse,
          ...errors,
        },
      },
    },
    async (req) => {
      const snapshots = await h.environment(req.query.time_range, now());
      return { success: true as const, time_range: req.query.time_range, count: snapshots.length, snapshots };
    },
  );

  app.get(
    "/historical/export/:table",
    {
      config,
      schema: {
        tags: ["monitor"],
        summary: "Export alert events or fleet snapshots as CSV (inside JSON)",
        params: z.object({ table: ExportTable }),
        querystring: range("1d"),
        response: {
          200: HistoryExportResponse,
          ...errors,
        },
      },
    },
    async (req) => ({
      success: true as const,
      table: req.params.table,
      time_range: req.query.time_range,
      ...(await h.exportCsv(req.params.table, req.query.time_range, now())),
    }),
  );
}
