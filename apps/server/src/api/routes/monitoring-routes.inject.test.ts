import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, get, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { InProcessEventBus } from "../../events/event-bus.js";
import { createMonitoringCenter, type MonitoringCenter } from "../../observability/monitoring-center.js";
import { LogRing } from "../../shared/log-ring.js";
import type { Database } from "../../store/database.js";
import { AS_DEFAULT, AS_P2, fake, injectApp, KEY, KEY_P2 } from "../test-inject-app.js";

/** A database double that answers the status probe's `select 1`. */
const database = { kind: "pglite", exclusive: true, db: { execute: async () => [] }, close: async () => undefined };

let logDir: string;
let jaeger: Server;
let jaegerUrl: string;
const jaegerQueries: string[] = [];

beforeAll(async () => {
  logDir = mkdtempSync(join(tmpdir(), "aegis-service-logs-"));
  writeFileSync(join(logDir, "buggy-app.log"), "starting\nWARNING slow query\nERROR connection refused\n");
  // A Jaeger query service: /api/services and /api/traces, in Jaeger's JSON.
  jaeger = createServer((req, res) => {
    jaegerQueries.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://x");
    res.setHeader("content-type", "application/json");
    if (url.pathname === "/api/services") return res.end(JSON.stringify({ data: ["checkout", "payments"] }));
    if (url.pathname !== "/api/traces") return res.writeHead(404).end("{}");
    const span = (
      id: string,
      parent: string | null,
      op: string,
      start: number,
      us: number,
      proc: string,
      error = false,
    ) => ({
      traceID: "t1",
      spanID: id,
      operationName: op,
      references: parent ? [{ refType: "CHILD_OF", traceID: "t1", spanID: parent }] : [],
      startTime: start,
      duration: us,
      processID: proc,
      tags: error ? [{ key: "error", type: "bool", value: true }] : [],
    });
    const t0 = 1_796_000_000_000_000;
    res.end(
      JSON.stringify({
        data: [
          {
            traceID: "t1",
            spans: [
              span("b", "a", "charge", t0 + 5_000, 120_000, "p2", true),
              span("a", null, "POST /checkout", t0, 150_000, "p1"),
            ],
            processes: { p1: { serviceName: "checkout" }, p2: { serviceName: "payments" } },
          },
          {
            traceID: "t2",
            spans: [{ ...span("c", null, "GET /cart", t0, 20_000, "p1"), traceID: "t2" }],
            processes: { p1: { serviceName: "checkout" } },
          },
        ],
      }),
    );
  });
  await new Promise<void>((r) => jaeger.listen(0, "127.0.0.1", r));
  jaegerUrl = `http://127.0.0.1:${(jaeger.address() as AddressInfo).port}`;
});
afterAll(async () => {
  rmSync(logDir, { recursive: true, force: true });
  await new Promise((r) => jaeger.close(r));
});

interface Harness {
  app: FastifyInstance;
  ring: LogRing;
  bus: InProcessEventBus;
  center: MonitoringCenter;
}
let h: Harness | null = null;
afterEach(async () => {
  await h?.app.close();
  h?.center.close();
  h = null;
});

async function harness(opts: { traces?: string; heartbeatMs?: number; engine?: unknown } = {}): Promise<Harness> {
  const ring = new LogRing(100, "debug");
  const bus = new InProcessEventBus();
  const center = createMonitoringCenter({
    database: database as unknown as Database,
    ring,
    executor: { kind: "local", targets: () => ["buggy-app"], containers: async () => [] },
    serviceLogDir: logDir,
    tracesUrl: opts.traces,
    queueDepth: async () => 3,
    websocketClients: () => 0,
  });
  const app = await injectApp({
    bus,
    monitoring: {
      ...center,
      operatorProjectId: "default",
      heartbeatMs: opts.heartbeatMs ?? 15_000,
      metricsIntervalMs: 60_000,
    },
    monitor: fake("monitor", {
      service: { engine: opts.engine ?? { recordCount: 0, warmupRecords: 10 } } as never,
    }),
    incidentResource: fake("incidentResource", {
      list: async (projectId: string, filter: { lifecycle?: readonly string[] }) => {
        expect(filter.lifecycle).toEqual(["detected", "acknowledged", "investigating", "mitigated"]);
        const items =
          projectId === "p2"
            ? [
                {
                  id: "i-1",
                  incident_id: "alert-1",
                  reference: "INC-1",
                  title: "checkout 5xx",
                  severity: "high",
                  service_name: "checkout",
                  state: "acknowledged",
                  automation_status: "RESOLVED",
                  detected_at: "2026-12-06T05:00:00.000Z",
                },
              ]
            : [];
        return { items, total: items.length } as never;
      },
    }),
  });
  h = { app, ring, bus, center };
  return h;
}

describe("GET /api/v1/monitoring/logs", () => {
  it("shows each project its own lines and the operator the unattributed and managed services' lines", async () => {
    const { app, ring } = await harness();
    ring.add("info", { component: "pipeline", projectId: "p2" }, "p2 incident received");
    ring.add(
      "error",
      { component: "pipeline", projectId: "p2", api_key: "aegis_pk_secret", code: 7 },
      "p2 executor failed",
    );
    ring.add("warn", { component: "monitor" }, "operator line");
    ring.add("info", { projectId: "default" }, "default line");

    const p2 = (await app.inject({ url: "/api/v1/monitoring/logs", headers: AS_P2 })).json();
    expect(p2.success).toBe(true);
    expect(p2.data.items.map((i: { message: string }) => i.message)).toEqual([
      "p2 executor failed",
      "p2 incident received",
    ]);
    expect(p2.data.sources).toEqual(["pipeline"]);

    const errors = (await app.inject({ url: "/api/v1/monitoring/logs?level=error", headers: AS_P2 })).json();
    expect(errors.data.items).toHaveLength(1);
    expect(errors.data.items[0]).toMatchObject({ level: "error", source: "pipeline", message: "p2 executor failed" });
    expect(errors.data.items[0].fields).toEqual({ api_key: "[REDACTED]", code: 7 });

    const op = (await app.inject({ url: "/api/v1/monitoring/logs?source=monitor", headers: AS_DEFAULT })).json();
    expect(op.data.items.map((i: { message: string }) => i.message)).toEqual(["operator line"]);
    expect(op.data.sources).toContain("service:buggy-app");

    const svc = (
      await app.inject({ url: "/api/v1/monitoring/logs?source=service:buggy-app&level=warn", headers: AS_DEFAULT })
    ).json();
    expect(svc.data.items.map((i: { level: string; message: string }) => [i.level, i.message])).toEqual([
      ["error", "ERROR connection refused"],
      ["warn", "WARNING slow query"],
    ]);
    const hidden = (await app.inject({ url: "/api/v1/monitoring/logs?source=services", headers: AS_P2 })).json();
    expect(hidden.data.items).toEqual([]);
  });

  it("refuses a bad level with seed 003's error envelope naming the field", async () => {
    const { app } = await harness();
    const res = await app.inject({ url: "/api/v1/monitoring/logs?level=loud", headers: AS_P2 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ success: false, request_id: expect.any(String) });
    expect(res.json().error).toContain("level");
  });
});

describe("GET /api/v1/monitoring/logs/stream (SSE)", () => {
  /** Open a stream on a listening app; collects `data:` events and comments. */
  async function open(url: string, headers: Record<string, string>) {
    const events: { id: number; data: { message: string } }[] = [];
    const comments: string[] = [];
    const res = await new Promise<IncomingMessage>((resolve, reject) =>
      get(url, { headers }, resolve).on("error", reject),
    );
    let buf = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      buf += chunk;
      let i = buf.indexOf("\n\n");
      while (i >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id && data) events.push({ id: Number(id), data: JSON.parse(data) });
        else if (block.startsWith(":")) comments.push(block);
        i = buf.indexOf("\n\n");
      }
    });
    return { res, events, comments, close: () => res.destroy() };
  }
  const until = async (cond: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  };

  it("delivers a project's lines only to that project, resumes from Last-Event-ID, and sends heartbeats", async () => {
    const { app, ring } = await harness({ heartbeatMs: 50 });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/monitoring/logs/stream`;
    const a = await open(base, { "x-api-key": KEY_P2 });
    const b = await open(`${base}?token=${KEY}`, {});
    expect(a.res.statusCode).toBe(200);
    expect(a.res.headers["content-type"]).toContain("text/event-stream");

    ring.add("info", { projectId: "p2" }, "for A 1");
    ring.add("info", { projectId: "default" }, "for B");
    ring.add("info", {}, "operator only");
    ring.add("error", { projectId: "p2" }, "for A 2");
    await until(() => a.events.length >= 2 && b.events.length >= 2);
    await until(() => a.comments.length > 0, 1000);
    expect(a.events.map((e) => e.data.message)).toEqual(["for A 1", "for A 2"]);
    expect(b.events.map((e) => e.data.message)).toEqual(["for B", "operator only"]);
    expect(a.comments.some((c) => c.startsWith(": heartbeat"))).toBe(true);

    // A reconnects after the first event and gets what it missed, nothing of B's.
    const lastSeen = a.events[0]?.id as number;
    a.close();
    ring.add("info", { projectId: "default" }, "for B again");
    ring.add("info", { projectId: "p2" }, "for A 3");
    const again = await open(base, { "x-api-key": KEY_P2, "last-event-id": String(lastSeen) });
    await until(() => again.events.length >= 2);
    expect(again.events.map((e) => e.data.message)).toEqual(["for A 2", "for A 3"]);
    const errorsOnly = await open(`${base}?level=error&last_event_id=0`, { "x-api-key": KEY_P2 });
    await until(() => errorsOnly.events.length >= 1);
    expect(errorsOnly.events.map((e) => e.data.message)).toEqual(["for A 2"]);
    for (const s of [again, b, errorsOnly]) s.close();
  });

  it("refuses a stream without a credential", async () => {
    const { app } = await harness();
    const res = await app.inject({ url: "/api/v1/monitoring/logs/stream" });
    expect(res.statusCode).toBe(401);
  });
});

describe("WS /api/v1/monitoring/ws/metrics", () => {
  it("sends runtime snapshots and the operator's executor metrics, never to another project", async () => {
    const { app, bus } = await harness();
    await app.listen({ port: 0, host: "127.0.0.1" });
    const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/monitoring/ws/metrics`;
    const collect = (ws: WebSocket) => {
      const got: { type: string; data: unknown }[] = [];
      ws.on("message", (m) => got.push(JSON.parse(m.toString())));
      return got;
    };
    const op = new WebSocket(`${url}?token=${KEY}`);
    const other = new WebSocket(url, { headers: { "x-api-key": KEY_P2 } });
    const opGot = collect(op);
    const otherGot = collect(other);
    await Promise.all([op, other].map((ws) => new Promise((r) => ws.once("open", r))));
    const until = async (cond: () => boolean) => {
      const end = Date.now() + 3000;
      while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => opGot.length > 0 && otherGot.length > 0);
    expect(opGot[0]?.type).toBe("runtime");
    expect(opGot[0]?.data).toMatchObject({ pipeline: { queue_depth: 3 } });
    bus.publish("default", "metrics", null, [
      { name: "buggy-app", cpu_percent: 12, memory_mb: 80, memory_limit_mb: 512, status: "running" } as never,
    ]);
    await until(() => opGot.some((m) => m.type === "metrics"));
    expect(opGot.find((m) => m.type === "metrics")?.data).toEqual([
      expect.objectContaining({ name: "buggy-app", cpu_percent: 12 }),
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(otherGot.some((m) => m.type === "metrics")).toBe(false);
    // Seed 003: at most 10 concurrent connections per key; the eleventh is closed with 1008.
    const more = Array.from({ length: 9 }, () => new WebSocket(`${url}?token=${KEY}`));
    await Promise.all(more.map((ws) => new Promise((r) => ws.once("open", r))));
    const eleventh = new WebSocket(`${url}?token=${KEY}`);
    const code = await new Promise<number>((r) => eleventh.once("close", (c) => r(c)));
    expect(code).toBe(1008);
    for (const ws of [op, other, ...more]) ws.close();
  });
});

describe("metrics, status, active alerts", () => {
  it("answer real figures in seed 003's envelope", async () => {
    const { app } = await harness();
    await app.inject({ url: "/api/v1/monitoring/logs", headers: AS_P2 });
    const m = (await app.inject({ url: "/api/v1/monitoring/metrics", headers: AS_P2 })).json();
    expect(m.success).toBe(true);
    expect(m.data.process.memory_mb.rss).toBeGreaterThan(0);
    expect(m.data.pipeline.queue_depth).toBe(3);
    expect(m.data.requests.requests).toBeGreaterThanOrEqual(1);

    const s = (await app.inject({ url: "/api/v1/monitoring/status", headers: AS_P2 })).json();
    const byName = Object.fromEntries(
      s.data.components.map((c: { name: string; status: string }) => [c.name, c.status]),
    );
    expect(byName).toMatchObject({ database: "up", pipeline: "up", traces: "not_configured", executor: "degraded" });
    expect(s.data.status).toBe("degraded");

    const a = (await app.inject({ url: "/api/v1/monitoring/alerts/active", headers: AS_P2 })).json();
    expect(a.data.by_source).toEqual({ predictive_monitor: 0, incident: 1 });
    expect(a.data.items[0]).toMatchObject({
      source: "incident",
      id: "i-1",
      title: "checkout 5xx",
      status: "acknowledged",
    });
  });
});

describe("active alerts of the predictive monitor", () => {
  it("shows the monitor's current alerts to the operator's project only", async () => {
    const engine = {
      recordCount: 50,
      warmupRecords: 10,
      // The route reads the cached overview (summary and alerts), not the full predictions map.
      overview: () => ({
        timestamp: "2026-12-06T06:00:00.000Z",
        alerts: [
          {
            server_name: "db-1",
            level: "critical",
            risk_score: 91,
            profile: "database",
            message: "db-1 memory will be exhausted",
            time_to_issue: "45 minutes",
          },
        ],
      }),
    };
    const { app } = await harness({ engine });
    const op = (await app.inject({ url: "/api/v1/monitoring/alerts/active", headers: AS_DEFAULT })).json();
    expect(op.data.by_source).toEqual({ predictive_monitor: 1, incident: 0 });
    expect(op.data.items[0]).toMatchObject({
      source: "predictive_monitor",
      id: "monitor:db-1",
      severity: "critical",
      service: "db-1",
      details: { risk_score: 91, time_to_issue: "45 minutes" },
    });
    const p2 = (await app.inject({ url: "/api/v1/monitoring/alerts/active", headers: AS_P2 })).json();
    expect(p2.data.by_source).toEqual({ predictive_monitor: 0, incident: 1 });
  });
});

describe("traces and profiling", () => {
  it("says plainly when no trace source is configured", async () => {
    const { app } = await harness();
    const res = await app.inject({ url: "/api/v1/monitoring/traces?service=checkout", headers: AS_DEFAULT });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({ configured: false, reason: expect.stringContaining("AEGIS_TRACES_URL") });
  });

  it("reads traces from a Jaeger query API, with the duration filter", async () => {
    const { app } = await harness({ traces: jaegerUrl });
    const res = await app.inject({
      url: "/api/v1/monitoring/traces?service=checkout&duration_min=100",
      headers: AS_DEFAULT,
    });
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data.configured).toBe(true);
    expect(jaegerQueries.at(-1)).toContain("minDuration=100ms");
    expect(data.traces).toHaveLength(1);
    expect(data.traces[0]).toMatchObject({
      trace_id: "t1",
      root_service: "checkout",
      root_operation: "POST /checkout",
      duration_ms: 150,
      span_count: 2,
      error_count: 1,
      services: ["checkout", "payments"],
    });
    expect(data.traces[0].spans[1]).toMatchObject({
      span_id: "b",
      parent_span_id: "a",
      service: "payments",
      error: true,
    });
    const services = (await app.inject({ url: "/api/v1/monitoring/traces", headers: AS_DEFAULT })).json();
    expect(services.data.services).toEqual(["checkout", "payments"]);
    const p2 = await app.inject({ url: "/api/v1/monitoring/traces?service=checkout", headers: AS_P2 });
    expect(p2.statusCode).toBe(403);
  });

  it("answers 502 in seed 003's envelope when the trace source is down", async () => {
    const { app } = await harness({ traces: "http://127.0.0.1:9" });
    const res = await app.inject({ url: "/api/v1/monitoring/traces?service=checkout", headers: AS_DEFAULT });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ success: false, error: expect.stringContaining("unreachable") });
  });

  it("profiles the product's own CPU, and says there is no source for other services", async () => {
    const { app } = await harness();
    const busy = setInterval(() => {
      let x = 0;
      for (let i = 0; i < 200_000; i++) x += Math.sqrt(i);
      return x;
    }, 5);
    const res = await app.inject({
      url: "/api/v1/monitoring/profiling?service=aegisops&duration_ms=300",
      headers: AS_DEFAULT,
    });
    clearInterval(busy);
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data).toMatchObject({ configured: true, service: "aegisops", type: "cpu" });
    expect(data.samples).toBeGreaterThan(10);
    expect(data.hot_functions.length).toBeGreaterThan(0);
    const other = (
      await app.inject({ url: "/api/v1/monitoring/profiling?service=checkout", headers: AS_DEFAULT })
    ).json();
    expect(other.data).toEqual({ configured: false, reason: expect.stringContaining("checkout") });
    const heap = await app.inject({ url: "/api/v1/monitoring/profiling?type=heap", headers: AS_DEFAULT });
    expect(heap.statusCode).toBe(400);
  });
});
