import type { MetricRecord } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import type { ServerPrediction } from "../monitor-types.js";
import { alertBadge, roundRisk } from "./alert-level.js";
import { ArgusFleetMonitor } from "./argus-fleet-monitor.js";
import { formatDataTime, hourSlot } from "./data-time.js";
import { JsonBytes } from "./json-bytes.js";
import type { ModelRuntime } from "./model-runtime.js";
import { FORECAST_GROUPS, PERCENT_GROUPS } from "./risk-features.js";
import type { ServerTracker } from "./server-tracker.js";
import { healthyValues, rng, syntheticRecord } from "./synthetic-fleet.js";

const T0 = Date.UTC(2025, 0, 15);

/**
 * The prediction as the engine built it before the sixth round (ADR 0023), kept as the reference:
 * an object per server, then `JSON.stringify`.
 */
function referencePrediction(s: ServerTracker, rt: ModelRuntime): ServerPrediction {
  const keys = ["cpu_pct", "mem_pct", "swap_pct", "disk_pct", "iowait_pct", "load"] as const;
  const stepMs = Math.max(1000, Math.round(s.intervalMs / 1000) * 1000);
  const timestamps: string[] = [];
  for (let k = 1; k <= 12; k++) timestamps.push(formatDataTime(s.lastMs + k * stepMs, s.offsetLess));
  const forecast: ServerPrediction["forecast"] = { cpu_pct: [], mem_pct: [], timestamps };
  for (let g = 0; g < FORECAST_GROUPS.length; g++) {
    const f = s.forecasters[g]!;
    const tab = rt.tables[g]!;
    const pct = PERCENT_GROUPS.has(FORECAST_GROUPS[g]!);
    const series: number[] = [];
    for (let k = 1; k <= 12; k++) {
      const v = f.forecast(k, hourSlot(s.lastMs + k * stepMs), tab);
      series.push(Math.round((pct ? Math.min(100, Math.max(0, v)) : Math.max(0, v)) * 100) / 100);
    }
    forecast[keys[g]!] = series;
  }
  const x = s.current;
  return {
    risk_score: roundRisk(s.risk),
    profile: s.profile,
    alert: alertBadge(s.risk),
    display_metrics: {
      cpu: `${x[0]!.toFixed(1)}%`,
      memory: `${x[1]!.toFixed(1)}%`,
      disk_io: `${x[4]!.toFixed(1)}% iowait`,
      disk: `${x[3]!.toFixed(1)}%`,
      network: `${x[6]!.toFixed(1)} MB/s`,
    },
    forecast,
    anomaly_score: Math.round(s.anomaly * 1000) / 1000,
    message: s.message,
    time_to_issue_minutes: s.timeToIssueMinutes,
    last_seen: s.lastTimestamp,
  };
}

/** The engine's internals the reference needs (test only). */
function internals(m: ArgusFleetMonitor): { list: ServerTracker[]; rt: ModelRuntime } {
  return m as unknown as { list: ServerTracker[]; rt: ModelRuntime };
}

const NAMES = [
  "web-01",
  "db-primary",
  'quote"d\\name',
  "tab\tand\nnewline\u0001",
  "café-ünïcode",
  "emoji-🔥-box",
  "lone-\ud800-surrogate",
  "del\u007f-and-\u2028",
  "kafka-broker-3",
  "x".repeat(300),
];

describe("writeServerPrediction", () => {
  it("writes every server's bytes as JSON.stringify of the reference prediction, over levels, statuses and odd names", () => {
    const m = new ArgusFleetMonitor({ warmupRecords: 1 });
    const r = rng(11);
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const ms = T0 + i * (i < 200 ? 300_000 : 61_500); // the sampling interval changes half way
      const batch: MetricRecord[] = NAMES.map((name, s) => {
        const v = healthyValues(ms, r, s);
        if (s === 1) v.mem = Math.min(100, 40 + 0.3 * i); // leaks: warning, critical, predicted breaches
        if (s === 2) v.disk = 60 + 0.2 * i;
        if (s === 3) v.load = i % 50 < 5 ? 1e6 * r() : v.load; // spikes far outside the range
        if (s === 4 && i % 37 === 0) v.status = "offline";
        if (s === 5 && i % 41 === 0) v.status = "critical_issue";
        if (s === 6) v.net = 1e-9 * r();
        const rec = syntheticRecord(name, ms, v);
        return s === 8 && i % 2 === 0 ? { ...rec, timestamp: `${rec.timestamp}Z` } : rec;
      });
      m.ingest(batch);
      if (i % 7 !== 0 && i < 390) continue;
      const { list, rt } = internals(m);
      for (let k = 0; k < list.length; k++) {
        const s = list[k]!;
        const expected = Buffer.from(`${JSON.stringify(s.name)}:${JSON.stringify(referencePrediction(s, rt))}`);
        expect(m.predictionBytesAt(k).equals(expected), `${s.name} at tick ${i}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
    const levels = new Set(internals(m).list.map((s) => s.level));
    expect(levels.size).toBeGreaterThan(1);
  });

  it("serialises a server again only after it takes a record or the model changes", () => {
    const m = new ArgusFleetMonitor();
    const r = rng(3);
    for (let i = 0; i < 5; i++) {
      const ms = T0 + i * 300_000;
      m.ingest(["a", "b"].map((n) => syntheticRecord(n, ms, healthyValues(ms, r))));
    }
    m.predictionLengthAt(0);
    m.predictionLengthAt(1);
    const n = m.predictionsSerialised;
    const b = Buffer.from(m.predictionBytesAt(1));
    const ms = T0 + 5 * 300_000;
    m.ingest([syntheticRecord("a", ms, healthyValues(ms, r))]);
    expect(m.predictionBytesAt(1).equals(b)).toBe(true);
    expect(m.predictionsSerialised).toBe(n);
    m.predictionLengthAt(0);
    expect(m.predictionsSerialised).toBe(n + 1);
    m.setModel(m.model);
    m.predictionLengthAt(1);
    expect(m.predictionsSerialised).toBe(n + 2);
  });
});

describe("JsonBytes", () => {
  const written = (f: (o: JsonBytes) => void) => {
    const o = new JsonBytes(8);
    f(o);
    return o.bytes.subarray(0, o.length).toString("utf8");
  };

  it("writes numbers as JSON.stringify does", () => {
    const r = rng(5);
    const values = [0, -0, 1, -1, 0.1, 0.2, 0.1 + 0.2, 0.5, 0.05, 0.005, 0.015, 1.005, 99.99, 100, 123456789012.34];
    values.push(999999999999999, 1e15, 1e15 + 0.5, 1e21, 1e-7, 1e-6, 5e-324, 1.7976931348623157e308);
    values.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, -(2 ** 53) - 2);
    for (let i = 0; i < 20_000; i++) {
      const x = (r() - 0.3) * 10 ** Math.floor(r() * 30 - 10);
      values.push(x, Math.round(x), Math.round(x * 10) / 10, Math.round(x * 100) / 100, Math.round(x * 1000) / 1000);
    }
    for (const x of values)
      expect(
        written((o) => o.num(x)),
        String(x),
      ).toBe(JSON.stringify(x));
  });

  it("writes a count of hundredths as JSON.stringify writes it divided by 100", () => {
    const r = rng(7);
    const counts = [0, -0, 1, -1, 5, 10, 50, 99, 100, 101, 110, 9999, 10000, 2 ** 31 - 1, 2 ** 31, -(2 ** 31)];
    counts.push(1e15 - 1, 1e15, -1e15, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    for (let i = 0; i < 20_000; i++) {
      const n = Math.round((r() - 0.2) * 10 ** Math.floor(r() * 18));
      counts.push(n, n * 10, n * 100);
    }
    for (const n of counts)
      expect(
        written((o) => o.hundredths(n)),
        String(n),
      ).toBe(JSON.stringify(n / 100));
  });

  it("writes a number's toFixed(1) without the string", () => {
    const r = rng(9);
    const values = [0, -0, 0.05, 0.15, 0.25, 0.35, 1.45, 2.55, -0.04, -0.05, -1.25, 99.95, 100, 1e-9, 5e-324];
    values.push(
      0.45000000000000007,
      0.44999999999999996,
      1e14 + 0.05,
      1e15,
      1e21,
      Number.NaN,
      Number.NEGATIVE_INFINITY,
    );
    for (let i = 0; i < 20_000; i++) {
      const x = (r() - 0.2) * 10 ** Math.floor(r() * 20 - 6);
      values.push(x, Math.round(x * 100) / 100, Math.round(x * 10) / 10 + 0.05, Math.round(x * 1000) / 1000);
    }
    for (let k = 0; k < 2000; k++) values.push(k / 20, k / 20 + 1e-15, k / 20 - 1e-15, (k + 0.5) / 10);
    for (const x of values)
      expect(
        written((o) => o.fixed1(x)),
        String(x),
      ).toBe(x.toFixed(1));
  });

  it("writes strings as JSON.stringify does", () => {
    const more = ["", "plain", "\u0000\u001f\u0020", "\ud83d", "\udc00x", "\ud83d\ude00", "ÿ", "\u00ad", 'a\\"b'];
    for (const s of [...NAMES, ...more])
      expect(
        written((o) => o.str(s)),
        s,
      ).toBe(JSON.stringify(s));
    expect(written((o) => o.str("x".repeat(10_000)))).toBe(JSON.stringify("x".repeat(10_000)));
  });
});
