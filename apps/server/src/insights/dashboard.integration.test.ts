import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AS_DEFAULT, AS_P2, injectApp } from "../api/test-inject-app.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { createInsights } from "./create-insights.js";
import { NOW, seedInsightHistory } from "./test-insight-data.js";

/** Seed 003's dashboard over a stored, hand-checkable history, on PGlite and PostgreSQL, through HTTP. */
describe.each(testDatabaseKinds())("dashboard on %s", (kind) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    tdb = await freshDatabase(kind);
    await seedInsightHistory(tdb.database.db);
    app = await injectApp({ insights: createInsights(tdb.database, { clock: () => NOW }) });
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.cleanup();
  });

  const get = async (url: string, headers = AS_DEFAULT) => {
    const r = await app.inject({ method: "GET", url, headers });
    return { status: r.statusCode, body: r.json() };
  };

  it("stats: counts by state, last 24 h, open criticals, MTTA/MTTR and automation rate", async () => {
    const { status, body } = await get("/api/v1/dashboard/stats");
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.data).toMatchObject({
      total_incidents: 4,
      active_incidents: 2,
      by_state: { resolved: 2, investigating: 1, detected: 1 },
      incidents_last_24h: 2,
      resolved_last_24h: 1,
      critical_open: 1,
      awaiting_approval: 1,
      // A acknowledged after 300 s, B after 600 s; A resolved after 1800 s.
      mtta_seconds_30d: 450,
      mttr_seconds_30d: 1800,
      automation_rate_30d: 1,
    });
  });

  it("another project's key sees only its own (empty) history, with notes instead of figures", async () => {
    const { body } = await get("/api/v1/dashboard/stats", AS_P2);
    expect(body.data.total_incidents).toBe(0);
    expect(body.data.mttr_seconds_30d).toBeNull();
    expect(body.data.notes.join(" ")).toMatch(/no incident .* resolved/);
  });

  it("incident trend: 24 hourly buckets with opened and resolved in the right hour", async () => {
    const { body } = await get("/api/v1/dashboard/metrics/incidents?period=24h");
    expect(body.data.bucket).toBe("hour");
    expect(body.data.buckets).toHaveLength(24);
    expect(body.data.total_opened).toBe(2);
    expect(body.data.total_resolved).toBe(1);
    const at = (iso: string) => body.data.buckets.find((b: { start: string }) => b.start === iso);
    // A opened at 10:00 and was resolved at 10:30; B opened at 09:00.
    expect(at("2026-12-06T10:00:00.000Z")).toMatchObject({ opened: 1, resolved: 1, by_severity: { critical: 1 } });
    expect(at("2026-12-06T09:00:00.000Z")).toMatchObject({ opened: 1, resolved: 0, by_severity: { high: 1 } });
    expect(body.data.buckets[23].start).toBe("2026-12-06T12:00:00.000Z");
    const week = await get("/api/v1/dashboard/metrics/incidents?period=7d");
    expect(week.body.data.buckets).toHaveLength(7);
    expect(week.body.data.total_opened).toBe(3);
  });

  it("resolution time: MTTA and MTTR percentiles from the lifecycle transitions", async () => {
    const { body } = await get("/api/v1/dashboard/metrics/resolution-time?period=24h");
    expect(body.data.incidents).toBe(2);
    expect(body.data.mtta_seconds).toEqual({ count: 2, mean: 450, p50: 450, p90: 570, p99: 597 });
    expect(body.data.mttr_seconds).toEqual({ count: 1, mean: 1800, p50: 1800, p90: 1800, p99: 1800 });
  });

  it("automation: unattended share, action success and rollback rates, reopened fixes", async () => {
    const { body } = await get("/api/v1/dashboard/metrics/automation");
    expect(body.data).toMatchObject({
      pipeline_resolved: 1,
      resolved_without_human: 1,
      resolved_without_human_share: 1,
      awaiting_approval: 1,
      actions_total: 2,
      actions_succeeded: 1,
      actions_failed: 1,
      action_success_rate: 0.5,
      rollbacks: 0,
      fix_outcomes: { REOPENED: 1 },
      reopened_rate: 1,
    });
  });

  it("activity feed, top services and severity distribution", async () => {
    const feed = await get("/api/v1/dashboard/activity-feed?limit=2");
    expect(feed.body.data.items.map((i: { incident_id: string }) => i.incident_id)).toEqual(["A", "A"]);
    expect(feed.body.data.items[0]).toMatchObject({ status: "RESOLVED", agent: "VERIFIER" });
    expect(feed.body.data.items[0].reference).toMatch(/^INC-\d+$/);

    const top = await get("/api/v1/dashboard/top-services?limit=5");
    expect(top.body.data.services.map((s: { service: string }) => [s.service, s.incidents, s.open])).toEqual([
      ["api", 2, 1],
      ["db", 1, 1],
    ]);

    const sev = await get("/api/v1/dashboard/severity-distribution");
    expect(sev.body.data.total).toBe(4);
    const critical = sev.body.data.distribution.find((d: { severity: string }) => d.severity === "critical");
    expect(critical).toEqual({ severity: "critical", count: 2, percentage: 50 });
  });

  it("bad parameters are a 400 in seed 003's envelope naming the field", async () => {
    const { status, body } = await get("/api/v1/dashboard/metrics/incidents?period=1y");
    expect(status).toBe(400);
    expect(body).toMatchObject({ success: false, request_id: expect.any(String) });
    expect(body.error).toContain("period");
    const limit = await get("/api/v1/dashboard/activity-feed?limit=0");
    expect(limit.status).toBe(400);
    expect(limit.body.error).toContain("limit");
  });
});
