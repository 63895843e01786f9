import {
  CostRateInput,
  IncidentAnalyticsInput,
  PatternsQuery,
  ReportQuery,
  type ReportView,
  SloInput,
} from "@aegis/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import type { DownloadSigner } from "../download-signer.js";
import { onCallReply } from "../on-call-reply.js";
import { identityOf, projectOf, requireRole } from "../request-identity.js";

const Days = (def: number) => z.object({ days: z.coerce.number().int().min(1).max(365).default(def) });
const ServiceParams = z.object({ service: z.string().min(1).max(253) });
const ReportParams = z.object({ id: z.string().uuid() });

/**
 * Seed 003 `/api/v1/analytics/*` over stored incidents, transitions and timelines; SLOs and cost rates
 * are declared per service here (`/slos`, `/cost-rates`) and nowhere assumed.
 */
export function registerAnalyticsRoutes(fastify: FastifyInstance, d: AppDeps, links: DownloadSigner): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  /**
   * A report's links signed for the caller (ADR 0021): each works alone, without a key, until the
   * sooner of the link lifetime and the report's own 24 hours, which `expires_at` then names.
   */
  const signed = (req: FastifyRequest, view: ReportView): ReportView => {
    const who = identityOf(req);
    const keptUntil = new Date(view.expires_at);
    const html = links.sign(view.html_url, who, keptUntil);
    return {
      ...view,
      html_url: html.url,
      pdf_url: view.pdf_url === null ? null : links.sign(view.pdf_url, who, keptUntil).url,
      expires_at: html.expires_at,
    };
  };
  const a = d.insights.analytics;
  const tags = ["analytics"];

  app.post(
    "/api/v1/analytics/incidents",
    {
      schema: {
        tags,
        summary: "Incident analytics over a time range (default the last 7 days) with service/severity/state filters",
        body: IncidentAnalyticsInput.nullish(),
      },
    },
    async (req) => {
      const data = await a.incidents(projectOf(req), req.body ?? {});
      return onCallReply(`${data.total_incidents} incidents between ${data.start_time} and ${data.end_time}`, data);
    },
  );

  app.get(
    "/api/v1/analytics/services/health",
    {
      schema: {
        tags,
        summary: "Per service: incidents, open ones, impact minutes, availability and status",
        querystring: Days(7),
      },
    },
    async (req) => onCallReply("Service health", await a.servicesHealth(projectOf(req), req.query.days)),
  );

  app.get(
    "/api/v1/analytics/patterns",
    {
      schema: {
        tags,
        summary: "Recurring incident signatures (alert type and diagnosed category) with counts",
        querystring: PatternsQuery,
      },
    },
    async (req) => {
      const q = req.query;
      const data = await a.patterns(projectOf(req), q.days, q.min_occurrences, q.limit);
      return onCallReply(`${data.patterns.length} recurring patterns`, data);
    },
  );

  app.get(
    "/api/v1/analytics/slo-compliance",
    {
      schema: {
        tags,
        summary: "Compliance and error budget of declared SLOs from incident impact minutes; undeclared ones named",
        querystring: z.object({ service: z.string().min(1).max(253).optional() }),
      },
    },
    async (req) => {
      const data = await a.sloCompliance(projectOf(req), req.query.service);
      const message =
        data.slos.length === 0 && req.query.service
          ? `No SLO is declared for ${req.query.service}`
          : `${data.slos.length} declared SLOs`;
      return onCallReply(message, data);
    },
  );

  app.get("/api/v1/analytics/slos", { schema: { tags, summary: "Declared SLOs" } }, async (req) =>
    onCallReply("Declared SLOs", { items: await a.listSlos(projectOf(req)) }),
  );

  app.put(
    "/api/v1/analytics/slos/:service",
    {
      schema: {
        tags,
        summary: "Declare or replace a service's SLO (availability objective in percent, window in days); admin",
        params: ServiceParams,
        body: SloInput,
      },
    },
    async (req) => {
      requireRole(req, "admin");
      return onCallReply(
        `SLO of ${req.params.service} saved`,
        await a.putSlo(projectOf(req), req.params.service, req.body),
      );
    },
  );

  app.delete(
    "/api/v1/analytics/slos/:service",
    { schema: { tags, summary: "Remove a service's SLO; admin", params: ServiceParams } },
    async (req) => {
      requireRole(req, "admin");
      await a.deleteSlo(projectOf(req), req.params.service);
      return onCallReply(`SLO of ${req.params.service} removed`, { service: req.params.service });
    },
  );

  app.get(
    "/api/v1/analytics/cost-impact",
    {
      schema: {
        tags,
        summary:
          "Impact minutes × the configured cost per minute per service; services without a rate are `unconfigured`",
        querystring: Days(30),
      },
    },
    async (req) => onCallReply("Cost impact", await a.costImpact(projectOf(req), req.query.days)),
  );

  app.get(
    "/api/v1/analytics/cost-rates",
    { schema: { tags, summary: "Configured costs per minute of impact" } },
    async (req) => onCallReply("Configured cost rates", { items: await a.listCostRates(projectOf(req)) }),
  );

  app.put(
    "/api/v1/analytics/cost-rates/:service",
    {
      schema: {
        tags,
        summary: "Set a service's cost per minute of impact; admin",
        params: ServiceParams,
        body: CostRateInput,
      },
    },
    async (req) => {
      requireRole(req, "admin");
      const data = await a.putCostRate(projectOf(req), req.params.service, req.body);
      return onCallReply(`Cost rate of ${req.params.service} saved`, data);
    },
  );

  app.delete(
    "/api/v1/analytics/cost-rates/:service",
    { schema: { tags, summary: "Remove a service's cost rate; admin", params: ServiceParams } },
    async (req) => {
      requireRole(req, "admin");
      await a.deleteCostRate(projectOf(req), req.params.service);
      return onCallReply(`Cost rate of ${req.params.service} removed`, { service: req.params.service });
    },
  );

  app.get(
    "/api/v1/analytics/team-performance",
    {
      schema: {
        tags,
        summary: "Per responder: acknowledgements, MTTA, resolutions; pages and out-of-hours pages from timelines",
        querystring: Days(30),
      },
    },
    async (req) => onCallReply("Team performance", await a.teamPerformance(projectOf(req), req.query.days)),
  );

  app.get(
    "/api/v1/analytics/predictions",
    { schema: { tags, summary: "Servers by predicted risk, from the predictive monitor (seed 004)" } },
    async () => {
      const e = d.monitor.service.engine;
      const reading =
        e.recordCount < e.warmupRecords
          ? { state: "warming_up" as const, records: e.recordCount, needed: e.warmupRecords }
          : { state: "ready" as const, predictions: e.predictions() };
      const data = d.insights.predictions(reading);
      return onCallReply(data.message, data);
    },
  );

  app.post(
    "/api/v1/analytics/reports/generate",
    {
      schema: {
        tags,
        summary: "Generate an executive, weekly or post-mortem report: stored HTML and PDF (rendered by Chromium)",
        description:
          "`report_type` executive (last `days`, default 30), weekly (default 7) or postmortem (needs `incident_id`). The answer carries signed download links (`html_url`, `pdf_url`) that work without an API key until `expires_at` (24 hours); `pdf_url` is null with `pdf_error` when no Chromium could render it.",
        querystring: ReportQuery,
      },
    },
    async (req, reply) => {
      const project = projectOf(req);
      const q = req.query;
      const subject =
        q.report_type === "postmortem" && q.incident_id
          ? {
              incident: await d.incidentResource.get(project, q.incident_id),
              timeline: await d.incidentResource.timeline(project, q.incident_id),
            }
          : undefined;
      const view = await d.insights.reports.generate(project, q.report_type, { days: q.days, subject });
      return reply.code(201).send(onCallReply(`${q.report_type} report generated`, signed(req, view)));
    },
  );

  app.get(
    "/api/v1/analytics/reports/:id",
    { schema: { tags, summary: "A generated report's metadata and links", params: ReportParams } },
    async (req) => onCallReply("Report", signed(req, await d.insights.reports.get(projectOf(req), req.params.id))),
  );

  app.get(
    "/api/v1/analytics/reports/:id/html",
    { schema: { tags, summary: "A generated report as HTML", params: ReportParams } },
    async (req, reply) =>
      reply.type("text/html; charset=utf-8").send(await d.insights.reports.html(projectOf(req), req.params.id)),
  );

  app.get(
    "/api/v1/analytics/reports/:id/pdf",
    { schema: { tags, summary: "A generated report as PDF", params: ReportParams } },
    async (req, reply) =>
      reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="aegis-report-${req.params.id}.pdf"`)
        .send(await d.insights.reports.pdfOf(projectOf(req), req.params.id)),
  );
}
