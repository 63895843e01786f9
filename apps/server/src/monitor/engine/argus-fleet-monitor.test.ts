import type { MetricRecord } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { alertBadge, alertLevelFor } from "./alert-level.js";
import { ArgusFleetMonitor } from "./argus-fleet-monitor.js";
import { shapleyAttribution } from "./explain-server.js";
import { DEFAULT_MODEL } from "./model-params.js";
import { ModelRuntime } from "./model-runtime.js";
import { baselineInput, evaluateRisk, RiskInput } from "./risk-function.js";
import { newRiskContext } from "./server-assessment.js";
import { healthyValues, rng, type SyntheticValues, syntheticRecord } from "./synthetic-fleet.js";

const T0 = Date.UTC(2025, 0, 15);
const STEP = 300_000;

/** Feeds `steps` 5-minute ticks of one record per server; returns every event. */
function run(
  m: ArgusFleetMonitor,
  steps: number,
  servers: Record<string, (i: number, ms: number) => SyntheticValues>,
  from = 0,
) {
  const events = [];
  for (let i = from; i < from + steps; i++) {
    const ms = T0 + i * STEP;
    const batch = Object.entries(servers).map(([name, at]) => syntheticRecord(name, ms, at(i, ms)));
    events.push(...m.ingest(batch).events);
  }
  return events;
}

describe("alert levels", () => {
  it("follows the seed's bands and badges", () => {
    expect([95, 80, 79.9, 60, 59.9, 50, 49.9, 0].map(alertLevelFor)).toEqual([
      "critical",
      "critical",
      "warning",
      "warning",
      "degraded",
      "degraded",
      "healthy",
      "healthy",
    ]);
    expect(alertBadge(72.5)).toEqual({
      level: "warning",
      score: 72.5,
      color: "#FFA500",
      emoji: "🟠",
      label: "🟠 Warning",
    });
  });
});

describe("ArgusFleetMonitor", () => {
  it("predicts memory exhaustion of a linear leak within ±20% and ends critical", () => {
    const m = new ArgusFleetMonitor();
    const r = rng(7);
    const slope = 0.15; // points per 5 minutes; crosses the Generic danger threshold 95% at step 366.7
    const crossing = (95 - 40) / slope;
    const risks: number[] = [];
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      run(m, 1, { app07: (k, ms) => ({ ...healthyValues(ms, r), mem: 40 + slope * k + (r() - 0.5) }) }, i);
      const p = m.predictions().predictions.app07!;
      risks.push(p.risk_score);
      const remaining = (crossing - i) * 5;
      if (remaining <= 240 && remaining >= 30) {
        expect(p.message).toMatch(/^Memory exhaustion predicted in \d+ (minutes|hours?)$/);
        expect(p.time_to_issue_minutes!).toBeGreaterThanOrEqual(remaining * 0.8);
        expect(p.time_to_issue_minutes!).toBeLessThanOrEqual(remaining * 1.2);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(risks[150]!).toBeLessThan(risks[300]!);
    expect(risks[300]!).toBeLessThan(risks[360]!);
    expect(alertLevelFor(risks[399]!)).toBe("critical");
    const alert = m.predictions().alerts[0]!;
    expect(alert).toMatchObject({ server_name: "app07", level: "critical", profile: "Generic" });
  });

  it("keeps a healthy noisy server with a daily cycle healthy for a day, without events", () => {
    const m = new ArgusFleetMonitor();
    const r = rng(3);
    const events = run(m, 288 * 2, {
      web01: (_, ms) => healthyValues(ms, r),
      app01: (_, ms) => healthyValues(ms, r, 2),
    });
    expect(events).toEqual([]);
    const p = m.predictions();
    expect(p.summary).toMatchObject({ total_servers: 2, healthy: 2, critical: 0, warning: 0, degraded: 0 });
    expect(p.alerts).toEqual([]);
    expect(p.summary.fleet_health).toBeGreaterThan(80);
    expect(p.summary.prob_30m).toBeLessThan(0.01);
    expect(p.predictions.web01!.profile).toBe("Web Server");
  });

  it("predicts a disk filling up", () => {
    const m = new ArgusFleetMonitor();
    const r = rng(11);
    run(m, 200, { ppdb001: (k, ms) => ({ ...healthyValues(ms, r), mem: 70, iowait: 4, disk: 60 + 0.1 * k }) });
    const p = m.predictions().predictions.ppdb001!;
    expect(p.profile).toBe("Database");
    // 80% at step 199, +1.2 points/hour: 95% in about 12.5 hours, beyond 8 h; keep filling.
    run(m, 100, { ppdb001: (k, ms) => ({ ...healthyValues(ms, r), mem: 70, iowait: 4, disk: 60 + 0.1 * k }) }, 200);
    const q = m.predictions().predictions.ppdb001!;
    expect(q.message).toMatch(/^Disk full predicted in \d+ hours?$/);
    const truth = ((95 - (60 + 0.1 * 299)) / 0.1) * 5;
    expect(q.time_to_issue_minutes!).toBeGreaterThan(truth * 0.8);
    expect(q.time_to_issue_minutes!).toBeLessThan(truth * 1.2);
    expect(q.forecast.disk_pct![11]!).toBeGreaterThan(q.forecast.disk_pct![0]!);
  });

  it("raises risk for critical_issue and offline status and emits raised/escalated/resolved events", () => {
    const m = new ArgusFleetMonitor();
    const r = rng(5);
    let status: SyntheticValues["status"] = "healthy";
    const at = (_: number, ms: number) => ({ ...healthyValues(ms, r), status });
    expect(run(m, 50, { app03: at })).toEqual([]);
    status = "heavy_load";
    const raised = run(m, 1, { app03: at }, 50);
    expect(raised).toMatchObject([{ event_type: "raised", previous_level: "healthy", new_level: "degraded" }]);
    status = "critical_issue";
    const up = run(m, 1, { app03: at }, 51);
    expect(up).toMatchObject([
      { event_type: "escalated", new_level: "critical", message: "Server reports a critical issue" },
    ]);
    status = "offline";
    run(m, 1, { app03: at }, 52);
    expect(m.predictions().predictions.app03!.alert.level).toBe("critical");
    status = "healthy";
    const down = run(m, 1, { app03: at }, 53);
    expect(down).toMatchObject([{ event_type: "resolved", previous_level: "critical", new_level: "healthy" }]);
    expect(down[0]!.timestamp).toBe(syntheticRecord("x", T0 + 53 * STEP, healthyValues(0, r)).timestamp);
  });

  it("explains with exact Shapley values that sum to risk − baseline, and counterfactuals lower the risk", () => {
    const m = new ArgusFleetMonitor();
    const r = rng(9);
    run(m, 150, {
      app09: (k, ms) => ({
        ...healthyValues(ms, r),
        mem: Math.min(93, 60 + 0.25 * k),
        status: k > 140 ? "heavy_load" : "healthy",
      }),
    });
    const e = m.explain("app09")!;
    expect(m.explain("nope")).toBeUndefined();
    const sum = e.shap.top_features.reduce((a, f) => a + f.contribution, 0);
    expect(sum).toBeCloseTo(e.prediction.risk_score - e.shap.baseline_risk, 1);
    expect(e.shap.top_features[0]).toMatchObject({ feature: "mem_pct", importance: 1, stars: "★★★★★" });
    expect(e.shap.top_features).toHaveLength(10);
    expect(e.prediction.alert_level).toBe(alertLevelFor(e.prediction.risk_score));
    const cf = e.counterfactuals[0]!;
    expect(cf.scenario).toMatch(/memory/);
    expect(cf.risk_after).toBeLessThan(e.prediction.risk_score);
    expect(cf.impact).toBe(`Risk drops from ${e.prediction.risk_score} to ${cf.risk_after}`);
    expect(e.attention.focus_periods[0]).toBe("Last 30 minutes");
    expect(e.attention.analysis).toMatch(/memory/);
  });

  it("Shapley on the risk function: efficiency, and a group equal to its baseline is a dummy", () => {
    const rt = new ModelRuntime(DEFAULT_MODEL);
    const ctx = newRiskContext(rt);
    const base = baselineInput(ctx.thresholds);
    const x = new RiskInput().copyFrom(base);
    x.value[0] = 88; // cpu
    x.value[1] = 91; // memory
    x.trend[1] = 0.2;
    x.anomaly = 0.9;
    x.status = "heavy_load";
    const s = shapleyAttribution(x, base, ctx);
    const sum = s.values.reduce((a, b) => a + b, 0);
    expect(s.full).toBeCloseTo(evaluateRisk(x, ctx), 10);
    expect(sum).toBeCloseTo(s.full - s.empty, 9);
    for (const g of [2, 3, 4, 5, 6, 7]) expect(s.values[g]).toBeCloseTo(0, 12);
    // Symmetry: two groups with identical hazards get identical shares.
    const y = new RiskInput().copyFrom(base);
    y.status = "recovery";
    const rtw = rt.params.weights;
    y.anomaly = rtw.anomalyFloor + (1 - rtw.anomalyFloor) * (rtw.status.recovery / rtw.anomaly);
    const t = shapleyAttribution(y, base, ctx);
    expect(t.values[8]).toBeCloseTo(t.values[9]!, 9);
  });

  it("reports warm-up, counts ticks, drops stale and duplicate records", () => {
    const m = new ArgusFleetMonitor({ warmupRecords: 100 });
    const r = rng(1);
    const rec = (i: number, name = "app01"): MetricRecord =>
      syntheticRecord(name, T0 + i * STEP, healthyValues(T0 + i * STEP, r));
    let res = m.ingest(Array.from({ length: 99 }, (_, i) => rec(i)));
    expect(res).toMatchObject({ accepted: 99, tick: 99, warmup_complete: false });
    res = m.ingest([rec(50), rec(98), rec(99)]);
    expect(res).toMatchObject({ accepted: 1, tick: 100, warmup_complete: true });
    expect(m.recordCount).toBe(100);
    expect(m.serversTracked).toBe(1);
  });

  it("caches the overview until the next accepted record, and a server's JSON until it reports", () => {
    const m = new ArgusFleetMonitor();
    const r = rng(2);
    run(m, 10, { app01: (_, ms) => healthyValues(ms, r), app02: (_, ms) => healthyValues(ms, r) });
    const a = m.predictions();
    const o = m.overview();
    expect(m.overview()).toBe(o);
    // The summary alone (what a page of the map reads) is the overview's, cached on its own.
    const h = m.fleetSummary();
    expect(h).toEqual({ summary: o.summary, timestamp: o.timestamp });
    expect(m.fleetSummary()).toBe(h);
    expect(m.lastPrediction).toBe(a.timestamp);
    expect(a.timestamp).toBe("2025-01-15T00:45:00");
    expect(a.predictions.app01!.forecast.timestamps).toHaveLength(12);
    expect(a.predictions.app01!.forecast.timestamps[0]).toBe("2025-01-15T00:50:00");
    const v = m.version;
    const json1 = m.predictionBytesAt(1).toString();
    expect(JSON.parse(`{${json1}}`)).toEqual({ app02: a.predictions.app02 });
    const serialised = m.predictionsSerialised;
    m.ingest([syntheticRecord("app01", T0, healthyValues(T0, r))]); // stale: dropped, caches kept
    expect(m.version).toBe(v);
    expect(m.overview()).toBe(o);
    run(m, 1, { app01: (_, ms) => healthyValues(ms, r) }, 10);
    expect(m.version).not.toBe(v);
    expect(m.fleetSummary()).not.toBe(h);
    expect(m.fleetSummary().timestamp).toBe("2025-01-15T00:50:00");
    expect(m.overview()).not.toBe(o);
    expect(m.overview().summary).toBe(m.fleetSummary().summary);
    expect(m.predictionBytesAt(1).toString()).toBe(json1); // app02 took no record: not serialised again
    expect(m.predictionsSerialised).toBe(serialised);
    expect(m.predictionBytesAt(0).toString()).not.toBe(`"app01":${JSON.stringify(a.predictions.app01)}`);
  });

  it("bounds each rolling window at windowSize", () => {
    const m = new ArgusFleetMonitor({ windowSize: 60 });
    const r = rng(4);
    run(m, 250, { app01: (_, ms) => healthyValues(ms, r) });
    const e = m.explain("app01")!;
    expect(e.server_name).toBe("app01");
    // The window is internal; its bound shows in the attention periods: 60 × 5 min reach 4–5 h back.
    expect(e.attention.focus_periods.every((p) => !/8 hours|1 day/.test(p))).toBe(true);
  });

  it("keeps windows and levels when the model is swapped", () => {
    const m = new ArgusFleetMonitor();
    const r = rng(6);
    run(m, 20, { app01: (_, ms) => ({ ...healthyValues(ms, r), mem: 80 }) });
    const before = m.predictions().predictions.app01!.risk_score;
    const params = structuredClone(DEFAULT_MODEL.params) as {
      profiles: { Generic: { thresholds: { memory: { warn: number } } } };
    };
    params.profiles.Generic.thresholds.memory.warn = 81;
    m.setModel({ ...DEFAULT_MODEL, name: "tight", version: 1, params });
    expect(m.model.name).toBe("tight");
    expect(m.predictions().predictions.app01!.risk_score).toBeGreaterThan(before);
    expect(m.recordCount).toBe(20);
  });
});

describe("overview alerts", () => {
  it("keeps an unchanged server's alert entry and rebuilds a changed one's, equal to a fresh engine's", () => {
    const hot = (k: number, ms: number, r: () => number) => ({
      ...healthyValues(ms, r),
      mem: 97,
      cpu: 95,
      swap: 40 + k * 0.01,
    });
    const feed = (m: ArgusFleetMonitor) => {
      const r = rng(21);
      run(m, 60, { a1: (k, ms) => hot(k, ms, r), b1: (k, ms) => hot(k, ms, r), c1: (_, ms) => healthyValues(ms, r) });
      const before = m.overview().alerts;
      run(m, 1, { a1: (k, ms) => hot(k, ms, r) }, 60);
      return { before, after: m.overview().alerts };
    };
    const m = new ArgusFleetMonitor();
    const { before, after } = feed(m);
    expect(before.map((a) => a.server_name).sort()).toEqual(["a1", "b1"]);
    const by = (list: typeof before, name: string) => list.find((a) => a.server_name === name);
    expect(by(after, "b1")).toBe(by(before, "b1"));
    expect(by(after, "a1")).not.toBe(by(before, "a1"));
    expect(after).toEqual(feed(new ArgusFleetMonitor()).after);
    // A new model re-assesses every server: no entry survives it.
    m.setModel(DEFAULT_MODEL);
    expect(by(m.overview().alerts, "b1")).not.toBe(by(after, "b1"));
  });
});
