import { existsSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "../api/app-deps.js";
import { AS_DEFAULT, AS_P2, fake, injectApp } from "../api/test-inject-app.js";
import { IncidentResource } from "../engine/incident-resource.js";
import { IncidentRecorder } from "../engine/recorder.js";
import { InProcessEventBus } from "../events/event-bus.js";
import { IncidentResourceStore } from "../store/incident-resource-store.js";
import { IncidentStore } from "../store/incident-store.js";
import { timelineEntries } from "../store/schema.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { createInsights } from "./create-insights.js";
import { NOW, seedInsightHistory } from "./test-insight-data.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.AEGIS_REQUIRE_POSTGRES === "1") throw new Error(`${CHROMIUM} is required in CI`);

/** A monitor still warming up: the predictions answer must say so rather than invent a forecast. */
const warmingMonitor = {
  service: { engine: { recordCount: 12, warmupRecords: 100 } },
} as unknown as AppDeps["monitor"];

/** Seed 003's analytics over a stored, hand-checkable history, on PGlite and PostgreSQL, through HTTP. */
describe.each(testDatabaseKinds())("analytics on %s", (kind) => {
  let tdb: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    tdb = await freshDatabase(kind);
    const db = tdb.database.db;
    await seedInsightHistory(db);
    // A page on Sunday 03:00 UTC (out of hours) and one on Friday 10:00 UTC (office hours).
    await db.insert(timelineEntries).values([
      {
        projectId: "default",
        incidentId: "C",
        ts: new Date("2026-12-06T03:00:00Z"),
        status: "PAGED",
        message: "Paged alice",
        agent: "ONCALL",
      },
      {
        projectId: "default",
        incidentId: "C",
        ts: new Date("2026-12-04T10:00:00Z"),
        status: "PAGED",
        message: "Paged bob",
        agent: "ONCALL",
      },
    ]);
    const incidents = new IncidentStore();
    const recorder = new IncidentRecorder(tdb.database, incidents, new InProcessEventBus());
    const resource = new IncidentResource(tdb.database, new IncidentResourceStore(), incidents, recorder, {
      open: async () => undefined,
    });
    app = await injectApp({
      insights: createInsights(tdb.database, { clock: () => NOW, chromiumPath: CHROMIUM }),
      incidentResource: resource,
      monitor: warmingMonitor,
      incidentActions: fake("incidentActions"),
    });
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.cleanup();
  });

  const call = async (
    method: "GET" | "POST" | "PUT" | "DELETE",
    url: string,
    payload?: unknown,
    headers = AS_DEFAULT,
  ) => {
    const r = await app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: r.statusCode, body: r.json() };
  };

  it("incidents: a range with filters in the body", async () => {
    const all = await call("POST", "/api/v1/analytics/incidents", {});
    expect(all.status).toBe(200);
    expect(all.body.data).toMatchObject({
      total_incidents: 3,
      by_service: { api: 2, db: 1 },
      by_severity: { critical: 2, high: 1 },
      by_state: { resolved: 1, investigating: 1, detected: 1 },
    });
    const api = await call("POST", "/api/v1/analytics/incidents", {
      start_time: "2026-11-01T00:00:00Z",
      end_time: "2026-12-07T00:00:00Z",
      services: ["api"],
    });
    expect(api.body.data.total_incidents).toBe(2);
    expect(api.body.data.mtta_seconds).toMatchObject({ count: 2, p50: 450 });
    const critical = await call("POST", "/api/v1/analytics/incidents", { severities: ["CRITICAL"] });
    expect(critical.body.data.total_incidents).toBe(2);
    const bad = await call("POST", "/api/v1/analytics/incidents", {
      start_time: "2026-12-07T00:00:00Z",
      end_time: "2026-12-01T00:00:00Z",
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ success: false });
    expect(bad.body.error).toContain("start_time");
  });

  it("service health: impact minutes until mitigation (or now), availability and status", async () => {
    const { body } = await call("GET", "/api/v1/analytics/services/health?days=7");
    const api = body.data.services.find((s: { service: string }) => s.service === "api");
    // A: 10 min until the pipeline verified the fix; B: open for 180 min.
    expect(api).toMatchObject({ incidents: 2, open_incidents: 1, impact_minutes: 190, availability_pct: 98.115 });
    expect(api.status).toBe("unhealthy");
    const db = body.data.services.find((s: { service: string }) => s.service === "db");
    expect(db).toMatchObject({ incidents: 1, open_incidents: 1, impact_minutes: 7200 });
  });

  it("patterns: recurring signatures with counts", async () => {
    const { body } = await call("GET", "/api/v1/analytics/patterns?days=30&min_occurrences=2");
    expect(body.data.patterns).toHaveLength(1);
    expect(body.data.patterns[0]).toMatchObject({
      alert_type: "Memory Leak",
      category: "memory_leak",
      occurrences: 2,
      services: ["api"],
      proposed_actions: ["RESTART"],
      resolved_by_automation: 1,
    });
    const none = await call("GET", "/api/v1/analytics/patterns?days=30&min_occurrences=3");
    expect(none.body.data.patterns).toEqual([]);
    expect((await call("GET", "/api/v1/analytics/patterns?min_occurrences=0")).status).toBe(400);
  });

  it("SLOs: declared per service, error budget burned by impact minutes; undeclared ones said so", async () => {
    const missing = await call("GET", "/api/v1/analytics/slo-compliance?service=api");
    expect(missing.body.data.slos).toEqual([]);
    expect(missing.body.data.not_declared[0]).toMatchObject({ service: "api", status: "not_declared" });

    expect(
      (await call("PUT", "/api/v1/analytics/slos/api", { objective_pct: 99.9, window_days: 7 }, AS_P2)).status,
    ).toBe(403);
    const put = await call("PUT", "/api/v1/analytics/slos/api", { objective_pct: 99.9, window_days: 7 });
    expect(put.status).toBe(200);
    expect((await call("PUT", "/api/v1/analytics/slos/api", { objective_pct: 120 })).status).toBe(400);

    const { body } = await call("GET", "/api/v1/analytics/slo-compliance?service=api");
    expect(body.data.slos[0]).toMatchObject({
      service: "api",
      status: "breached",
      availability_pct: 98.115,
      error_budget_minutes: 10.08,
      error_budget_consumed_minutes: 190,
      error_budget_remaining_minutes: -179.92,
      error_budget_consumed_pct: 1884.92,
    });
    const every = await call("GET", "/api/v1/analytics/slo-compliance");
    expect(every.body.data.slos.map((s: { service: string }) => s.service)).toEqual(["api"]);
    expect(every.body.data.not_declared.map((s: { service: string }) => s.service)).toEqual(["db"]);
    // Another project sees none of them.
    expect((await call("GET", "/api/v1/analytics/slos", undefined, AS_P2)).body.data.items).toEqual([]);
  });

  it("cost impact: configured rate × impact minutes; unconfigured services said so", async () => {
    const before = await call("GET", "/api/v1/analytics/cost-impact?days=7");
    expect(before.body.data.services.every((s: { status: string }) => s.status === "unconfigured")).toBe(true);
    expect(before.body.data.notes[0]).toMatch(/no cost per minute/);
    await call("PUT", "/api/v1/analytics/cost-rates/api", { cost_per_minute: 100, currency: "EUR" });
    const { body } = await call("GET", "/api/v1/analytics/cost-impact?days=7");
    const api = body.data.services.find((s: { service: string }) => s.service === "api");
    expect(api).toMatchObject({ status: "configured", impact_minutes: 190, estimated_cost: 19000, currency: "EUR" });
    expect(body.data.services.find((s: { service: string }) => s.service === "db").status).toBe("unconfigured");
    expect(body.data.total_cost_by_currency).toEqual({ EUR: 19000 });
  });

  it("team performance: per responder acks, MTTA, resolutions; pages out of hours from timelines", async () => {
    const { body } = await call("GET", "/api/v1/analytics/team-performance?days=30");
    expect(body.data.responders.map((r: { responder: string }) => r.responder)).toEqual(["alice", "bob"]);
    expect(body.data.responders[0]).toMatchObject({ acknowledgements: 1, resolutions: 1, mtta_seconds: 300 });
    expect(body.data.responders[1]).toMatchObject({ acknowledgements: 1, resolutions: 0, mtta_seconds: 600 });
    expect(body.data.pages).toMatchObject({ total: 2, out_of_hours: 1, out_of_hours_share: 0.5 });
  });

  it("predictions: the monitor's state, never an invented forecast", async () => {
    const { status, body } = await call("GET", "/api/v1/analytics/predictions");
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ status: "warming_up", predictions: [], summary: null });
    expect(body.data.message).toContain("100");
  });

  it("reports: a post-mortem needs an incident; an unknown one is a 404", async () => {
    const none = await call("POST", "/api/v1/analytics/reports/generate?report_type=postmortem");
    expect(none.status).toBe(400);
    expect(none.body.error).toContain("incident_id");
    expect((await call("POST", "/api/v1/analytics/reports/generate?report_type=daily")).status).toBe(400);
    expect(
      (await call("POST", "/api/v1/analytics/reports/generate?report_type=postmortem&incident_id=nope")).status,
    ).toBe(404);
  });

  it.skipIf(!hasChromium)(
    "reports: executive and post-mortem as stored HTML and a PDF whose text carries the figures",
    async () => {
      const made = await call("POST", "/api/v1/analytics/reports/generate?report_type=executive");
      expect(made.status).toBe(201);
      expect(made.body.data.pdf_error).toBeNull();
      const html = await app.inject({ method: "GET", url: made.body.data.html_url, headers: AS_DEFAULT });
      expect(html.headers["content-type"]).toContain("text/html");
      expect(html.body).toContain("Executive report");
      const pdf = await app.inject({ method: "GET", url: made.body.data.pdf_url, headers: AS_DEFAULT });
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
      const parser = new PDFParse({ data: new Uint8Array(pdf.rawPayload) });
      const text = (await parser.getText()).text;
      await parser.destroy();
      expect(text).toContain("Executive report");
      expect(text).toContain("Memory Leak / memory_leak");
      expect(text).toMatch(/api\s+degraded\s+2\s+190\s+99\.56/);
      // Another project cannot read it.
      expect((await app.inject({ method: "GET", url: made.body.data.pdf_url, headers: AS_P2 })).statusCode).toBe(404);

      const pm = await call("POST", "/api/v1/analytics/reports/generate?report_type=postmortem&incident_id=A");
      const pmPdf = await app.inject({ method: "GET", url: pm.body.data.pdf_url, headers: AS_DEFAULT });
      const p2 = new PDFParse({ data: new Uint8Array(pmPdf.rawPayload) });
      const pmText = (await p2.getText()).text;
      await p2.destroy();
      expect(pmText).toContain("Post-mortem");
      expect(pmText).toContain("Verified healthy");
    },
    60_000,
  );
});
