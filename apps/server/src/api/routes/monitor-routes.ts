import {
  ActiveAlerts,
  DetailError,
  Explanation,
  FeedAccepted,
  FeedRequest,
  MonitorStatus,
  PredictionsQuery,
} from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import { validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { formatDataTime } from "../../monitor/engine/data-time.js";
import { isCleanFeedBody } from "../../monitor/feed-body-check.js";
import { FeedColumns } from "../../monitor/feed-columns.js";
import { FeedBytesBody, parseFeedBytes } from "../../monitor/feed-json-bytes.js";
import { NotFoundError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { type MonitorRateLimits, rateLimitOf } from "../monitor-rate-limits.js";
import { AuditedFeedBody, feedAuditBody } from "./monitor-feed-audit.js";

/** Batches of this many bytes fit (50,000 records of ~450 bytes); other routes keep the global limit. */
export const FEED_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

type RouteSchema = Parameters<typeof validatorCompiler>[0];

/** A clean body passes the precompiled checks as is; anything else goes through the zod schema (the 422's one owner). */
function feedValidator(route: { httpPart?: string }) {
  const full = validatorCompiler(route as RouteSchema);
  if (route.httpPart !== "body") return full;
  return (data: unknown) =>
    data instanceof FeedBytesBody || isCleanFeedBody(data) ? { value: data as FeedRequest } : full(data);
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** `/feed/data`: the JSON body is first read from its bytes into columns (see `parseFeedBytes`). */
    feedBytes?: boolean;
  }
}

/**
 * The scope's `application/json` parser: a `/feed/data` body that `parseFeedBytes` reads is handed on as
 * its columns (no body string, no object per record: ADR 0023, eighth round); every other body — and a
 * feed body it leaves — goes through Fastify's own JSON parser as before (same string, same 400s).
 */
function installFeedJsonParser(fastify: FastifyInstance): void {
  const json = fastify.getDefaultJsonParser(
    fastify.initialConfig.onProtoPoisoning ?? "error",
    fastify.initialConfig.onConstructorPoisoning ?? "error",
  );
  fastify.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body, done) => {
    const bytes = body as Buffer;
    if (req.routeOptions.config.feedBytes === true) {
      const parsed = parseFeedBytes(bytes);
      if (parsed !== undefined) return done(null, parsed);
    }
    json(req, bytes.toString("utf8"), done);
  });
}

const errors = { 401: DetailError, 422: DetailError, 429: DetailError };

/** Seed 004 (Tachyon Argus) live endpoints: status, metrics in, predictions, alerts, explanations. */
export function registerMonitorRoutes(fastify: FastifyInstance, d: AppDeps, limits: MonitorRateLimits): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const m = d.monitor.service;
  installFeedJsonParser(fastify);

  app.get(
    "/status",
    {
      schema: {
        tags: ["monitor"],
        summary: "Predictive monitor status (no key needed)",
        security: [],
        response: { 200: MonitorStatus },
      },
    },
    () => m.status(),
  );

  app.post(
    "/feed/data",
    {
      bodyLimit: FEED_BODY_LIMIT_BYTES,
      validatorCompiler: feedValidator,
      config: { rateLimit: rateLimitOf(limits.feed), auditBody: feedAuditBody, feedBytes: true },
      schema: {
        tags: ["monitor"],
        summary: "Feed server metrics to the predictive monitor",
        description:
          "Every record is validated per field and range; one bad record refuses the batch with a 422 naming `body.records.<i>.<field>` (nothing of it is ingested). Until 100 records have arrived the answer is `warming_up` with the progress.",
        body: FeedRequest,
        response: { 200: FeedAccepted, ...errors },
      },
    },
    async (req) => {
      const body = req.body as FeedRequest | FeedBytesBody;
      const batch = body instanceof FeedBytesBody ? body.columns : FeedColumns.from(body.records);
      const received = batch.length;
      // From here on the request holds the audit entry instead of the parsed records (see AuditedFeedBody).
      (req as { body: unknown }).body = new AuditedFeedBody(req.body);
      const r = await m.ingestSliced(batch);
      const base = {
        records_received: received,
        tick: r.tick,
        rolling_window_size: m.engine.windowSize,
        warmup_complete: r.warmup_complete,
        alert_events: r.events.length,
      };
      if (r.warmup_complete) return { status: "accepted" as const, ...base };
      const need = m.engine.warmupRecords;
      const pct = Math.min(99, Math.floor((100 * r.tick) / need));
      return { status: "warming_up" as const, ...base, progress: `${pct}% (need ${need} records minimum)` };
    },
  );

  app.get(
    "/predictions/current",
    {
      config: { rateLimit: rateLimitOf(limits.read) },
      schema: {
        tags: ["monitor"],
        summary: "Current risk, alert level and forecasts of every server, with the fleet summary",
        description:
          'Per server: `risk_score` 0–100, `profile`, `alert` (level, score, colour, emoji, label), `display_metrics`, `forecast` (arrays per metric with `timestamps`, in data time) and extensions (`anomaly_score`, `message`, `time_to_issue_minutes`, `last_seen`). `summary`: counts per level, `fleet_health`, `prob_30m`, `prob_8h`. Before warm-up: `{error: "insufficient_data", message, predictions: {}}`.\n\n' +
          "Added forms (no parameter: the seed's full map): `view=summary` drops `predictions` (summary, timestamp, the `alerts_limit` riskiest alerts — default 100 — and `alerts_total`); `limit`, `cursor`, `risk_min`, `server_id` (comma-separated names) answer one page of `predictions` with `summary`, `timestamp`, `count` and `next_cursor` (servers in the order first seen).",
        querystring: PredictionsQuery,
      },
    },
    async (req, reply) => {
      const e = m.engine;
      if (e.recordCount < e.warmupRecords) {
        return {
          error: "insufficient_data",
          message: `Need at least ${e.warmupRecords} records, have ${e.recordCount}`,
          predictions: {},
        };
      }
      const q = req.query;
      if (q.limit !== undefined || q.cursor !== undefined || q.risk_min !== undefined || q.server_id !== undefined) {
        return m.predictions.page(q);
      }
      if (q.view === "summary") {
        return reply.type("application/json; charset=utf-8").send(m.predictions.summaryJson(q.alerts_limit));
      }
      // Sent while it is built (chunked) the first time; a cached body with its length.
      const body = m.predictions.fullMap();
      reply.type("application/json; charset=utf-8");
      if (body.done) reply.header("content-length", body.length);
      return reply.send(body.stream());
    },
  );

  app.get(
    "/alerts/active",
    {
      config: { rateLimit: rateLimitOf(limits.read) },
      schema: {
        tags: ["monitor"],
        summary:
          "Servers currently at warning or critical, highest risk first (degraded ones are counted in the summary)",
        response: { 200: ActiveAlerts, ...errors },
      },
    },
    () => {
      const e = m.engine;
      if (e.recordCount < e.warmupRecords)
        return { timestamp: formatDataTime(m.now().getTime(), true), count: 0, alerts: [] };
      const p = e.overview();
      return { timestamp: p.timestamp, count: p.alerts.length, alerts: p.alerts };
    },
  );

  app.get(
    "/explain/:server_name",
    {
      config: { rateLimit: rateLimitOf(limits.read) },
      schema: {
        tags: ["monitor"],
        summary: "Why a server has its risk: Shapley attributions, focus periods, counterfactuals",
        description:
          "`shap.top_features[].contribution` are exact Shapley values of the risk function (they sum to `risk_score − baseline_risk`); counterfactuals are recomputed through the same function.",
        params: z.object({ server_name: z.string().min(1).max(200) }),
        response: { 200: Explanation, 404: DetailError, ...errors },
      },
    },
    (req) => {
      const x = m.engine.explain(req.params.server_name);
      if (!x) throw new NotFoundError(`unknown server: ${req.params.server_name}`);
      return x;
    },
  );
}
