import {
  ActiveMonitoringAlerts,
  MonitoringLogLevel,
  MonitoringLogs,
  MonitoringStatus,
  OnCallError,
  onCallOk,
  ProfilingAnswer,
  RuntimeMetricsSnapshot,
  TracesAnswer,
} from "@aegis/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { PERMISSIONS } from "../../accounts/role-permissions.js";
import { ForbiddenError, UnavailableError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { principalOf, projectOf, requireRole } from "../request-identity.js";
import { type LogReader, logEntryOf, matches, visibleTo } from "./monitoring-visibility.js";

const Errors = { 400: OnCallError, 401: OnCallError, 403: OnCallError, 409: OnCallError, 502: OnCallError };
const tags = ["monitoring"];
const OPEN_STATES = ["detected", "acknowledged", "investigating", "mitigated"];
/** Services whose profile the product can take itself. */
const SELF = new Set(["aegisops", "aegis", "self"]);

/**
 * Seed 003 `/api/v1/monitoring/*` (ADR 0016) except the live streams (monitoring-stream-routes.ts):
 * logs, metrics, status, active alerts, traces from the configured source, and CPU profiles of the product.
 */
export function registerMonitoringRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const mon = () => {
    if (!d.monitoring) throw new UnavailableError("monitoring services are not wired in this process");
    return d.monitoring;
  };
  const readerOf = (req: FastifyRequest): LogReader => {
    requireRole(req, PERMISSIONS["monitoring.read"]);
    return { projectId: projectOf(req), operator: projectOf(req) === mon().operatorProjectId };
  };
  /** Traces and profiles show the operator's runtime: its admins only. */
  const requireOperatorAdmin = (req: FastifyRequest) => {
    requireRole(req, "admin");
    if (projectOf(req) !== mon().operatorProjectId) {
      throw new ForbiddenError("traces and profiles of the runtime are for the server operator's project");
    }
  };

  app.get(
    "/api/v1/monitoring/logs",
    {
      schema: {
        tags,
        summary: "Recent log lines: the product's own (per project) and, for the operator, its managed services'",
        description:
          "`level` is a minimum (`error` gives error and fatal). `source` is a component (`aegisops`, `monitor`, `security`…) or `service:<name>` for a managed service's output (`services` for all of them). Newest first.",
        querystring: z.object({
          level: MonitoringLogLevel.optional(),
          source: z.string().min(1).max(200).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: onCallOk(MonitoringLogs), ...Errors },
      },
    },
    async (req) => {
      const reader = readerOf(req);
      const { level, source, limit } = req.query;
      const m = mon();
      const own = m.ring.since(0).filter((r) => visibleTo(r, reader));
      const serviceSources = reader.operator ? await m.serviceLogs.sources() : [];
      const sources = [...new Set(own.map((r) => r.source)), ...serviceSources].sort();
      let items: z.infer<typeof MonitoringLogs>["items"];
      if (source === "services" || source?.startsWith("service:")) {
        const name = source === "services" ? null : source.slice("service:".length);
        const lines = reader.operator ? await m.serviceLogs.tail(name, limit * 4) : [];
        items = lines
          .filter((l) => matches(l, { level }))
          .slice(-limit)
          .reverse()
          .map((l) => ({
            id: null,
            timestamp: null,
            level: l.level,
            source: l.source,
            message: l.message,
            fields: { line: l.line },
          }));
      } else {
        const picked = [];
        for (let i = own.length - 1; i >= 0 && picked.length < limit; i--) {
          const r = own[i];
          if (r && matches(r, { level, source })) picked.push(logEntryOf(r));
        }
        items = picked;
      }
      return {
        success: true as const,
        message: `${items.length} log lines`,
        data: { items, total: items.length, sources },
      };
    },
  );

  app.get(
    "/api/v1/monitoring/metrics",
    {
      schema: {
        tags,
        summary: "Current runtime and product metrics: CPU, memory, event loop, pipeline queue, request rates",
        response: { 200: onCallOk(RuntimeMetricsSnapshot), ...Errors },
      },
    },
    async (req) => {
      readerOf(req);
      return { success: true as const, message: "current metrics", data: await mon().metrics.snapshot() };
    },
  );

  app.get(
    "/api/v1/monitoring/status",
    {
      schema: {
        tags,
        summary: "Overall status and each component's, probed now",
        response: { 200: onCallOk(MonitoringStatus), ...Errors },
      },
    },
    async (req) => {
      readerOf(req);
      const s = await mon().status.check();
      return { success: true as const, message: `system ${s.status}`, data: { ...s, version: d.version } };
    },
  );

  app.get(
    "/api/v1/monitoring/alerts/active",
    {
      schema: {
        tags,
        summary: "Active alerts: the predictive monitor's (operator's project) and the project's open incidents",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(100) }),
        response: { 200: onCallOk(ActiveMonitoringAlerts), ...Errors },
      },
    },
    async (req) => {
      const reader = readerOf(req);
      const items: z.infer<typeof ActiveMonitoringAlerts>["items"] = [];
      if (reader.operator) {
        const engine = d.monitor.service.engine;
        if (engine.recordCount >= engine.warmupRecords) {
          const p = engine.overview();
          for (const a of p.alerts) {
            items.push({
              source: "predictive_monitor",
              id: `monitor:${a.server_name}`,
              title: a.message,
              severity: a.level,
              service: a.server_name,
              status: a.level,
              since: null,
              details: {
                risk_score: a.risk_score,
                profile: a.profile,
                time_to_issue: a.time_to_issue,
                as_of: p.timestamp,
              },
            });
          }
        }
      }
      const monitorCount = items.length;
      const { items: open } = await d.incidentResource.list(
        reader.projectId,
        { lifecycle: OPEN_STATES },
        req.query.limit,
        0,
      );
      for (const i of open) {
        items.push({
          source: "incident",
          id: i.id,
          title: i.title,
          severity: i.severity,
          service: i.service_name,
          status: i.state,
          since: i.detected_at,
          details: { reference: i.reference, automation_status: i.automation_status, incident_id: i.incident_id },
        });
      }
      return {
        success: true as const,
        message: `${items.length} active alerts`,
        data: {
          items,
          total: items.length,
          by_source: { predictive_monitor: monitorCount, incident: items.length - monitorCount },
        },
      };
    },
  );

  app.get(
    "/api/v1/monitoring/traces",
    {
      schema: {
        tags,
        summary: "Distributed traces from the configured source (Jaeger query API); says so when none is configured",
        querystring: z.object({
          service: z.string().min(1).max(200).optional(),
          duration_min: z.coerce.number().min(0).max(86_400_000).optional().describe("minimum trace duration, ms"),
          operation: z.string().min(1).max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(20),
          lookback_minutes: z.coerce.number().int().min(1).max(10_080).default(60),
        }),
        response: { 200: onCallOk(TracesAnswer), ...Errors },
      },
    },
    async (req) => {
      requireOperatorAdmin(req);
      const traces = mon().traces;
      if (!traces) {
        return {
          success: true as const,
          message: "no trace source configured",
          data: {
            configured: false as const,
            reason: "no trace source is configured: set AEGIS_TRACES_URL to a Jaeger query API (http://jaeger:16686)",
          },
        };
      }
      const q = req.query;
      if (!q.service) {
        const services = await traces.services();
        return {
          success: true as const,
          message: `${services.length} traced services; name one with ?service=`,
          data: { configured: true as const, source: traces.baseUrl, service: null, services, traces: [] },
        };
      }
      const found = await traces.find({
        service: q.service,
        minDurationMs: q.duration_min,
        operation: q.operation,
        limit: q.limit,
        lookbackMinutes: q.lookback_minutes,
      });
      return {
        success: true as const,
        message: `${found.length} traces of ${q.service}`,
        data: { configured: true as const, source: traces.baseUrl, service: q.service, traces: found },
      };
    },
  );

  app.get(
    "/api/v1/monitoring/profiling",
    {
      schema: {
        tags,
        summary: "CPU profile of the product itself (service=aegisops), sampled now with V8's profiler",
        description:
          "Profiles only the AegisOps process: other services have no profiling source, which the answer says (`configured: false`). `duration_ms` (100–30000, default 2000) is how long to sample; `raw=true` adds the `.cpuprofile` document.",
        querystring: z.object({
          service: z.string().min(1).max(200).default("aegisops"),
          type: z.enum(["cpu"]).default("cpu"),
          duration_ms: z.coerce.number().int().min(100).max(30_000).default(2000),
          raw: z.enum(["true", "false"]).default("false"),
        }),
        response: { 200: onCallOk(ProfilingAnswer), ...Errors },
      },
    },
    async (req) => {
      requireOperatorAdmin(req);
      const q = req.query;
      if (!SELF.has(q.service)) {
        return {
          success: true as const,
          message: `no profiling source for ${q.service}`,
          data: {
            configured: false as const,
            reason: `no profiling source is configured for ${q.service}; AegisOps profiles only itself (service=aegisops)`,
          },
        };
      }
      const profile = await mon().profiler.profile(q.duration_ms, { raw: q.raw === "true" });
      return {
        success: true as const,
        message: `${profile.samples} samples over ${profile.duration_ms} ms (by ${principalOf(req).displayName})`,
        data: { configured: true as const, ...profile },
      };
    },
  );
}
