import { PeriodQuery } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { onCallReply } from "../on-call-reply.js";
import { projectOf } from "../request-identity.js";

const Limit = (def: number, max: number) => z.coerce.number().int().min(1).max(max).default(def);
const Days = z.coerce.number().int().min(1).max(365);

/** Seed 003 `/api/v1/dashboard/*`: every figure computed from the project's stored incidents, on each request. */
export function registerDashboardRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const s = d.insights.dashboard;
  const tags = ["dashboard"];

  app.get(
    "/api/v1/dashboard/stats",
    {
      schema: {
        tags,
        summary: "Incident counts by state, last 24 h, open criticals, MTTA/MTTR and automation rate (30 d)",
      },
    },
    async (req) => onCallReply("Dashboard statistics", await s.stats(projectOf(req))),
  );

  app.get(
    "/api/v1/dashboard/metrics/incidents",
    {
      schema: {
        tags,
        summary: "Incidents opened and resolved per bucket (hourly for 24h, daily for 7d and 30d)",
        querystring: PeriodQuery,
      },
    },
    async (req) =>
      onCallReply(`Incident trend over ${req.query.period}`, await s.incidentTrend(projectOf(req), req.query.period)),
  );

  app.get(
    "/api/v1/dashboard/metrics/resolution-time",
    {
      schema: {
        tags,
        summary:
          "MTTA and MTTR (mean, p50, p90, p99) of the incidents opened in the period, from lifecycle transitions",
        querystring: PeriodQuery,
      },
    },
    async (req) =>
      onCallReply(
        `Resolution times over ${req.query.period}`,
        await s.resolutionTimes(projectOf(req), req.query.period),
      ),
  );

  app.get(
    "/api/v1/dashboard/metrics/automation",
    {
      schema: {
        tags,
        summary: "Share resolved without a human, action success and rollback rates, reopened fixes",
        querystring: z.object({ days: Days.default(30) }),
      },
    },
    async (req) => onCallReply("Automation metrics", await s.automation(projectOf(req), req.query.days)),
  );

  app.get(
    "/api/v1/dashboard/activity-feed",
    {
      schema: {
        tags,
        summary: "The project's latest timeline entries, newest first",
        querystring: z.object({ limit: Limit(20, 200) }),
      },
    },
    async (req) => {
      const items = await s.activity(projectOf(req), req.query.limit);
      return onCallReply(`${items.length} recent activities`, { items, count: items.length });
    },
  );

  app.get(
    "/api/v1/dashboard/top-services",
    {
      schema: {
        tags,
        summary: "Services with the most incidents in the last `days` (default 30), with impact minutes",
        querystring: z.object({ limit: Limit(5, 100), days: Days.default(30) }),
      },
    },
    async (req) => {
      const services = await s.topServices(projectOf(req), req.query.limit, req.query.days);
      return onCallReply(`${services.length} most affected services`, { days: req.query.days, services });
    },
  );

  app.get(
    "/api/v1/dashboard/severity-distribution",
    {
      schema: {
        tags,
        summary: "Incidents by severity over the last `days` (all time when absent)",
        querystring: z.object({ days: Days.optional() }),
      },
    },
    async (req) =>
      onCallReply("Severity distribution", await s.severityDistribution(projectOf(req), req.query.days ?? null)),
  );
}
