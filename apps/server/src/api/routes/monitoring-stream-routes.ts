import { MonitoringLogLevel } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { WebSocket } from "ws";
import { z } from "zod";
import { PERMISSIONS } from "../../accounts/role-permissions.js";
import { RateLimitError, UnavailableError } from "../../shared/errors.js";
import type { LogRecord } from "../../shared/log-ring.js";
import type { AppDeps } from "../app-deps.js";
import { type ConnectionLimiter, streamHolderOf, WS_CLOSE_TOO_MANY } from "../connection-limiter.js";
import { projectOf, requireRole } from "../request-identity.js";
import { logEntryOf, matches, visibleTo } from "./monitoring-visibility.js";

/** A client this far behind (unsent bytes) is cut off rather than buffered without bound. */
const MAX_BUFFERED = 1024 * 1024;
/** Seconds a refused stream is told to wait before trying again (a slot frees when one of its streams closes). */
const STREAM_RETRY_AFTER_SECS = 5;

/**
 * Seed 003's live streams (ADR 0016): `GET /api/v1/monitoring/logs/stream` (Server-Sent Events of the
 * project's log lines, resumable with `Last-Event-ID`, heartbeat comments) and
 * `WS /api/v1/monitoring/ws/metrics` (runtime snapshots and the executor's `metrics` frames). Both take a
 * slot of the caller's concurrent-stream budget (`streams`, seed 003's 10 per API key, ADR 0021).
 */
export function registerMonitoringStreamRoutes(fastify: FastifyInstance, d: AppDeps, streams: ConnectionLimiter): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const mon = () => {
    if (!d.monitoring) throw new UnavailableError("monitoring services are not wired in this process");
    return d.monitoring;
  };

  app.get(
    "/api/v1/monitoring/logs/stream",
    {
      schema: {
        tags: ["monitoring"],
        summary: "Stream the project's log lines (Server-Sent Events; resume with Last-Event-ID)",
        description:
          "Each event is `id: <n>` and `data: <log entry JSON>` (default `message` type, so `EventSource.onmessage` receives it). A reconnecting client sends `Last-Event-ID` (or `?last_event_id=`) and first receives the lines it missed that are still kept. A `: heartbeat` comment is sent every AEGIS_SSE_HEARTBEAT_SECS.",
        querystring: z.object({
          level: MonitoringLogLevel.optional(),
          source: z.string().min(1).max(200).optional(),
          last_event_id: z.coerce.number().int().min(0).optional(),
        }),
      },
    },
    (req, reply) => {
      requireRole(req, PERMISSIONS["monitoring.read"]);
      const m = mon();
      const reader = { projectId: projectOf(req), operator: projectOf(req) === m.operatorProjectId };
      const filter = { level: req.query.level, source: req.query.source };
      const header = req.headers["last-event-id"];
      const resumeFrom = typeof header === "string" && /^\d+$/.test(header) ? Number(header) : req.query.last_event_id;
      const release =
        streams.acquire(streamHolderOf(req)) ??
        (() => {
          reply.header("retry-after", String(STREAM_RETRY_AFTER_SECS));
          throw new RateLimitError(streams.reason, STREAM_RETRY_AFTER_SECS);
        })();

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      res.write("retry: 3000\n\n");
      m.sse.open += 1;
      let closed = false;
      const send = (r: LogRecord) => {
        if (closed || !visibleTo(r, reader) || !matches(r, filter)) return;
        if (res.writableLength > MAX_BUFFERED) return close();
        res.write(`id: ${r.id}\ndata: ${JSON.stringify(logEntryOf(r))}\n\n`);
      };
      if (resumeFrom !== undefined) for (const r of m.ring.since(resumeFrom)) send(r);
      const unsubscribe = m.ring.subscribe(send);
      const heartbeat = setInterval(() => res.write(`: heartbeat ${new Date().toISOString()}\n\n`), m.heartbeatMs);
      heartbeat.unref();
      function close() {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        m.sse.open -= 1;
        release();
        res.end();
      }
      req.raw.on("close", close);
      res.on("close", close);
    },
  );

  app.get("/api/v1/monitoring/ws/metrics", { websocket: true, schema: { hide: true } }, (socket: WebSocket, req) => {
    const m = d.monitoring;
    if (!m || !req.projectId || !req.principal) {
      socket.close(1008, "not authenticated");
      return;
    }
    const projectId = req.projectId;
    const release = streams.acquire(streamHolderOf(req));
    if (!release) {
      socket.close(WS_CLOSE_TOO_MANY, streams.reason);
      return;
    }
    const send = (msg: unknown) => {
      if (socket.readyState === socket.OPEN && socket.bufferedAmount < MAX_BUFFERED) socket.send(JSON.stringify(msg));
    };
    const runtime = () =>
      m.metrics
        .snapshot()
        .then((data) => send({ type: "runtime", timestamp: data.timestamp, data }))
        .catch((err: unknown) => d.logger.warn({ err }, "runtime metrics failed"));
    m.wsMetrics.open += 1;
    void runtime();
    const timer = setInterval(runtime, m.metricsIntervalMs);
    timer.unref();
    // The executor's metrics belong to the operator's project (ADR 0009): frames of other projects never go out.
    const unsubscribe = d.bus.subscribe((frame, frameProject) => {
      if (frame.type === "metrics" && frameProject === projectId) {
        send({ type: "metrics", timestamp: frame.timestamp, data: frame.data });
      }
    });
    socket.on("message", (raw) => {
      if (raw.toString().trim() === "ping") send({ type: "pong", timestamp: new Date().toISOString() });
    });
    socket.on("close", () => {
      clearInterval(timer);
      unsubscribe();
      m.wsMetrics.open -= 1;
      release();
    });
  });
}
