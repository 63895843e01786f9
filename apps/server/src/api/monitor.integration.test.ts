import type { MetricRecord } from "@aegis/contracts";
import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

/** Seed 004 (Tachyon Argus) over real HTTP on PGlite: validation, warm-up, predictions, explanations, limits. */

const START = Date.parse("2026-03-02T08:00:00Z");
const STEP_MS = 5 * 60_000;

function sample(server: string, i: number, over: Partial<MetricRecord> = {}): MetricRecord {
  const wobble = Math.sin(i / 7) * 2;
  return {
    timestamp: new Date(START + i * STEP_MS).toISOString().replace(".000Z", ""),
    server_name: server,
    status: "healthy",
    cpu_user_pct: 22 + wobble,
    cpu_sys_pct: 6,
    cpu_iowait_pct: 1.5,
    cpu_idle_pct: 70.5 - wobble,
    java_cpu_pct: 12,
    mem_used_pct: 55 + wobble / 2,
    swap_used_pct: 2,
    disk_usage_pct: 40,
    net_in_mb_s: 10 + wobble,
    net_out_mb_s: 7,
    back_close_wait: 3,
    front_close_wait: 2,
    load_average: 1.8,
    uptime_days: 30,
    ...over,
  };
}

/** `servers` healthy servers plus `ppdb900` whose memory climbs linearly toward exhaustion from tick `leakFrom`. */
function fleet(ticks: number, servers: number, leakFrom: number, from = 0): MetricRecord[] {
  const out: MetricRecord[] = [];
  for (let i = from; i < from + ticks; i++) {
    for (let s = 0; s < servers; s++) out.push(sample(`ppweb${String(s + 1).padStart(3, "0")}`, i));
    const leak = i < leakFrom ? 0 : (i - leakFrom) * 0.9;
    const mem = Math.min(99.5, 60 + leak);
    out.push(
      sample("ppdb900", i, {
        mem_used_pct: mem,
        swap_used_pct: Math.min(90, 2 + Math.max(0, mem - 85) * 3),
      }),
    );
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let client: AegisClient;
let url: string;
let apiKey: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const te = await prepareEnv({ AEGIS_DEMO_APP: "false", AEGIS_MONITOR_SNAPSHOT_SECS: "0.2" });
  const s = await startInProcess(te);
  client = s.client;
  url = s.server.url;
  apiKey = s.server.apiKey;
  stop = s.stop;
}, 60_000);

afterAll(async () => {
  await stop?.();
});

describe("seed 004 monitor API", () => {
  it("serves /status without a key and reports warm-up; other monitor routes need the key", async () => {
    const res = await fetch(`${url}/status`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ model_loaded: true, rolling_window_size: 2880, warmup_complete: false });
    for (const path of ["/predictions/current", "/alerts/active", "/explain/x", "/historical/summary"]) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(401);
    }
  });

  it("refuses a batch with an unknown status or an out-of-range field, naming it, and ingests none of it", async () => {
    const before = (await client.request("GET", "/status")).body.records_received as number;
    const bad = [sample("ppdb001", 0), { ...sample("ppdb001", 1), status: "on_fire" }];
    const r1 = await client.request("POST", "/feed/data", { records: bad });
    expect(r1.status).toBe(422);
    const detail = r1.body.detail as { loc: unknown[]; msg: string; type: string }[];
    expect(detail[0]?.loc).toEqual(["body", "records", 1, "status"]);
    const r2 = await client.request("POST", "/feed/data", {
      records: [{ ...sample("ppdb001", 0), cpu_user_pct: 120 }],
    });
    expect(r2.status).toBe(422);
    expect((r2.body.detail as { loc: unknown[] }[])[0]?.loc).toEqual(["body", "records", 0, "cpu_user_pct"]);
    const { mem_used_pct: _omit, ...missing } = sample("ppdb001", 0);
    const r3 = await client.request("POST", "/feed/data", { records: [missing] });
    expect(r3.status).toBe(422);
    expect(r3.body.detail).toContainEqual({
      loc: ["body", "records", 0, "mem_used_pct"],
      // Seed 004 writes its 422 in Pydantic 1's words.
      msg: "field required",
      type: "value_error.missing",
    });
    expect((await client.request("GET", "/status")).body.records_received).toBe(before);
  });

  it("answers warming_up and insufficient_data before 100 records", async () => {
    const r = await client.request("POST", "/feed/data", { records: fleet(10, 4, 10_000) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "warming_up", records_received: 50, tick: 50, warmup_complete: false });
    expect(r.body.progress).toBe("50% (need 100 records minimum)");
    // The batch is audited as its count and a preview (taken before the parsed records were let go).
    let entry: { after?: Record<string, unknown> } | undefined;
    for (let i = 0; i < 50 && entry === undefined; i++) {
      const audit = await client.request("GET", "/api/v1/security/audit-logs?action=http.create&page_size=100");
      const items = (audit.body.data as { items: { resource_type: string; after?: Record<string, unknown> }[] }).items;
      entry = items.find((e) => e.resource_type === "/feed/data" && e.after?.records === 50);
      if (entry === undefined) await sleep(100);
    }
    expect(entry?.after).toMatchObject({ truncated: true, records: 50 });
    expect(String(entry?.after?.preview)).toContain('"server_name":"ppweb001"');
    const p = await client.request("GET", "/predictions/current");
    expect(p.body).toEqual({
      error: "insufficient_data",
      message: "Need at least 100 records, have 50",
      predictions: {},
    });
  });

  it("predicts a memory leak before exhaustion, explains it and opens a proactive incident", async () => {
    // 10 more healthy ticks (warm-up done), then the leak: 0.9 points per 5 minutes from 60%.
    const warm = await client.request("POST", "/feed/data", { records: fleet(10, 4, 10_000, 10) });
    expect(warm.body).toMatchObject({ status: "accepted", warmup_complete: true, rolling_window_size: 2880 });
    // A seed-002 client of the default project (the operator's fleet) subscribed to alerts.
    const { default: WebSocket } = await import("ws");
    const ws = new WebSocket(`${url.replace("http", "ws")}/ws`);
    const received: { type: string; data?: Record<string, unknown> }[] = [];
    ws.on("message", (m) => received.push(JSON.parse(m.toString())));
    await new Promise((resolve) => ws.once("open", resolve));
    // Sent back to back: the hub handles a socket's messages in order.
    ws.send(JSON.stringify({ type: "connect", token: apiKey }));
    ws.send(JSON.stringify({ type: "subscribe", channels: ["alerts"] }));
    // A frames client asking for every frame type (the cockpit) gets each level change as a `monitor.alert`
    // frame; a plain seed-000 client gets only the seed's frame types.
    const frames: { type: string; incident_id?: unknown; data?: Record<string, unknown> }[] = [];
    const ws0 = new WebSocket(`${url.replace("http", "ws")}/ws?token=${apiKey}&frames=all`);
    ws0.on("message", (m) => frames.push(JSON.parse(m.toString())));
    const seedFrames: { type: string }[] = [];
    const wsSeed = new WebSocket(`${url.replace("http", "ws")}/ws?token=${apiKey}`);
    wsSeed.on("message", (m) => seedFrames.push(JSON.parse(m.toString())));
    await new Promise((resolve) => ws0.once("open", resolve));
    await new Promise((resolve) => wsSeed.once("open", resolve));
    for (let i = 0; i < 100 && !received.some((m) => m.type === "subscribed"); i++) await sleep(20);
    const leak = await client.request("POST", "/feed/data", { records: fleet(30, 4, 20, 20) });
    expect(leak.status).toBe(200);
    for (let i = 0; i < 100 && !received.some((m) => m.type === "alert.fired"); i++) await sleep(20);
    for (let i = 0; i < 100 && !frames.some((m) => m.type === "monitor.alert"); i++) await sleep(20);
    ws.close();
    ws0.close();
    wsSeed.close();
    expect(seedFrames.some((m) => m.type === "heartbeat")).toBe(true);
    expect(seedFrames.some((m) => m.type === "monitor.alert")).toBe(false);
    const frame = frames.find((m) => m.type === "monitor.alert");
    expect(frame).toMatchObject({
      incident_id: null,
      data: { server_name: "ppdb900", event_type: "raised", previous_level: "healthy", profile: "Database" },
    });
    expect(["degraded", "warning", "critical"]).toContain(frame?.data?.new_level);
    expect(received.find((m) => m.type === "alert.fired")).toMatchObject({
      data: { alertname: "PredictedFailureRisk", service: "ppdb900", severity: expect.any(String) },
    });

    const p = await client.request("GET", "/predictions/current");
    expect(p.status).toBe(200);
    const predictions = p.body.predictions as Record<string, Record<string, unknown>>;
    const db = predictions.ppdb900 as { risk_score: number; profile: string; alert: { level: string; color: string } };
    const web = predictions.ppweb001 as { risk_score: number; alert: { level: string } };
    expect(db.profile).toBe("Database");
    expect(db.risk_score).toBeGreaterThan(web.risk_score);
    expect(web.alert.level).toBe("healthy");
    expect(["warning", "critical"]).toContain(db.alert.level);
    // The first read of this version streamed the map as it was built (chunked); a repeated read
    // sends the cached body, the same bytes, with its length.
    const raw = await fetch(`${url}/predictions/current`, { headers: { "x-api-key": apiKey } });
    expect(raw.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const cachedBytes = Buffer.from(await raw.arrayBuffer());
    expect(raw.headers.get("content-length")).toBe(String(cachedBytes.length));
    expect(JSON.parse(cachedBytes.toString())).toEqual(p.body);
    const summary = p.body.summary as Record<string, number>;
    expect(summary.total_servers).toBe(5);
    expect(summary.healthy).toBeGreaterThanOrEqual(4);
    expect(summary.prob_8h).toBeGreaterThan(0);

    const active = await client.request("GET", "/alerts/active");
    const alerts = active.body.alerts as { server_name: string; message: string }[];
    expect(alerts.map((a) => a.server_name)).toEqual(["ppdb900"]);
    expect(alerts[0]?.message.toLowerCase()).toContain("memory");

    const x = await client.request("GET", "/explain/ppdb900");
    expect(x.status).toBe(200);
    const shap = x.body.shap as { top_features: { feature: string; contribution: number }[]; baseline_risk: number };
    const total = shap.top_features.reduce((s, f) => s + f.contribution, 0);
    const risk = (x.body.prediction as { risk_score: number }).risk_score;
    expect(total).toBeCloseTo(risk - shap.baseline_risk, 0);
    expect(shap.top_features[0]?.feature).toMatch(/mem/);
    const cf = x.body.counterfactuals as { risk_after: number }[];
    expect(cf.length).toBeGreaterThan(0);
    expect(cf[0]?.risk_after).toBeLessThan(risk);
    expect((await client.request("GET", "/explain/nope")).status).toBe(404);
  });

  it("a critical prediction becomes one incident of the loop (dry run: the runtime does not manage the server)", async () => {
    // Keep leaking until critical; more ticks must not open a second incident.
    await client.request("POST", "/feed/data", { records: fleet(25, 4, 20, 50) });
    let list: { incident_id: string }[] = [];
    for (let i = 0; i < 100 && list.length === 0; i++) {
      const r = await client.request("GET", "/incidents?limit=50");
      list = (r.body as { incident_id: string }[]).filter((x) => x.incident_id.startsWith("argus-ppdb900-"));
      if (list.length === 0) await new Promise((res) => setTimeout(res, 50));
    }
    expect(list).toHaveLength(1);
    await client.request("POST", "/feed/data", { records: fleet(5, 4, 20, 75) });
    const inc = await client.incident(list[0]?.incident_id as string);
    expect(inc?.alert_type).toMatch(/^Predicted: /);
    const again = (await client.request("GET", "/incidents?limit=50")).body as { incident_id: string }[];
    expect(again.filter((x) => x.incident_id.startsWith("argus-ppdb900-"))).toHaveLength(1);
  });

  it("keeps the level changes and fleet snapshots as history, queryable and exportable", async () => {
    type Ev = { server_name: string; event_type: string; new_level: string };
    let events: Ev[] = [];
    for (let i = 0; i < 100 && !events.some((e) => e.new_level === "critical"); i++) {
      events = (await client.request("GET", "/historical/alerts?time_range=1d")).body.alerts as Ev[];
      if (!events.some((e) => e.new_level === "critical")) await new Promise((res) => setTimeout(res, 50));
    }
    expect(events.every((e) => e.server_name === "ppdb900")).toBe(true);
    expect(events.map((e) => e.event_type)).toContain("raised");
    expect(events.some((e) => e.new_level === "critical")).toBe(true);
    const other = await client.request("GET", "/historical/alerts?time_range=1d&server_name=ppweb001");
    expect(other.body).toMatchObject({ success: true, count: 0, alerts: [] });

    const summary = await client.request("GET", "/historical/summary?time_range=1d");
    expect(summary.body).toMatchObject({ success: true, time_range: "1d" });
    expect(summary.body.total_alerts).toBe(events.filter((e) => e.event_type !== "resolved").length);

    const server = await client.request("GET", "/historical/server/ppdb900?time_range=1d");
    expect(server.body).toMatchObject({ success: true, server_name: "ppdb900", risk_trend: "degrading" });
    expect(server.body.max_risk_score).toBeGreaterThanOrEqual(80);

    const csv = await client.request("GET", "/historical/export/alerts?time_range=1w");
    expect(csv.body.filename).toMatch(/^argus_alerts_1w_\d{8}_\d{6}\.csv$/);
    const lines = (csv.body.csv_data as string).trim().split("\n");
    expect(lines[0]).toMatch(/^timestamp,server_name,.*event_type/);
    expect(lines).toHaveLength(events.length + 1);

    let snapshots: { total_servers: number }[] = [];
    for (let i = 0; i < 100 && snapshots.length === 0; i++) {
      snapshots = (await client.request("GET", "/historical/environment?time_range=1d")).body
        .snapshots as typeof snapshots;
      if (snapshots.length === 0) await new Promise((res) => setTimeout(res, 50));
    }
    expect(snapshots[0]?.total_servers).toBe(5);

    const bad = await client.request("GET", "/historical/summary?time_range=2d");
    expect(bad.status).toBe(422);
    expect((bad.body.detail as { loc: unknown[] }[])[0]?.loc).toEqual(["query", "time_range"]);
    expect((await client.request("GET", "/historical/export/users")).status).toBe(422);
  });

  it("retrains on the stored history in the background and hot-loads the model", async () => {
    const bad = await client.request("POST", "/admin/trigger-training?incremental=maybe");
    expect(bad.status).toBe(422);
    const t = await client.request("POST", "/admin/trigger-training?epochs=2&incremental=false");
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ success: true, epochs: 2, incremental: false, message: "Training started" });
    let status: Record<string, unknown> = {};
    for (let i = 0; i < 400 && status.status !== "succeeded"; i++) {
      status = (await client.request("GET", "/admin/training-status")).body;
      if (status.status === "failed") throw new Error(`training failed: ${String(status.error)}`);
      if (status.status !== "succeeded") await new Promise((res) => setTimeout(res, 50));
    }
    expect(status).toMatchObject({ training_active: false, training_id: t.body.training_id, status: "succeeded" });
    const models = (await client.request("GET", "/admin/models")).body as {
      models: { name: string; path: string; is_current: boolean }[];
      current_model: string;
    };
    expect(models.current_model).toBe(status.model_name);
    expect(models.models.find((x) => x.is_current)?.name).toBe(status.model_name);
    const st = (await client.request("GET", "/status")).body;
    expect(st.model_path).toBe(`models/${String(status.model_name)}.json`);
    const stats = (await client.request("GET", "/admin/training-stats")).body;
    expect(stats).toMatchObject({ total_trainings: 1, models_produced: 1 });

    const reload = await client.request("POST", "/admin/reload-model", { model_path: models.models[0]?.path });
    expect(reload.body).toMatchObject({ success: true, model: models.models[0]?.name });
    expect((await client.request("POST", "/admin/reload-model", { model_path: "../../etc/passwd" })).status).toBe(400);
    expect((await client.request("POST", "/admin/reload-model", { model_path: "models/nope.json" })).status).toBe(404);
    // Predictions keep working with the new parameters and the old windows.
    const p = await client.request("GET", "/predictions/current");
    expect(Object.keys(p.body.predictions as object)).toHaveLength(5);
  });

  it("/health keeps seed 000's fields and adds seed 004's", async () => {
    const h = (await (await fetch(`${url}/health`)).json()) as Record<string, unknown>;
    expect(h).toMatchObject({ status: "ok", mode: "GOD_MODE", service: "aegisops", running: true });
    expect(h.monitor).toMatchObject({ servers_tracked: 5, warmup_complete: true });
  });

  it("limits reads to 30 a minute per client with the seed's 429", async () => {
    let last = { status: 0, body: {} as Record<string, unknown> };
    for (let i = 0; i < 40 && last.status !== 429; i++) last = await client.request("GET", "/alerts/active");
    expect(last.status).toBe(429);
    expect(last.body.detail).toMatch(/^Rate limit exceeded\. Try again in \d+ seconds\.$/);
  });
});
