import type { ServerPrediction } from "../monitor-types.js";
import { alertBadge, alertBadgeJson, roundRisk } from "./alert-level.js";
import { formatDataTime, hourSlot } from "./data-time.js";
import type { JsonBytes } from "./json-bytes.js";
import type { ModelRuntime } from "./model-runtime.js";
import { FORECAST_GROUPS, PERCENT_GROUPS } from "./risk-features.js";
import type { ServerTracker } from "./server-tracker.js";

/** Forecast points per metric in a prediction, one per sampling interval. */
export const FORECAST_POINTS = 12;

/** Names of the forecast arrays, by forecast group ("cpu_pct", "mem_pct" are the seed's). */
const FORECAST_KEYS = ["cpu_pct", "mem_pct", "swap_pct", "disk_pct", "iowait_pct", "load"] as const;
/** The seed's forecast object: `cpu_pct`, `mem_pct`, `timestamps`; the other groups follow. */
const TIMESTAMPS_AFTER = 1;

/** `display_metrics`: key, index in `ServerTracker.current`, unit after the one-decimal value. */
const DISPLAY: readonly (readonly [string, number, string])[] = [
  ["cpu", 0, "%"],
  ["memory", 1, "%"],
  // Records carry no disk throughput; I/O wait is the disk-pressure signal they do carry.
  ["disk_io", 4, "% iowait"],
  ["disk", 3, "%"],
  ["network", 6, " MB/s"],
];

const COMMA = 0x2c;
const bytes = (s: string) => Buffer.from(s, "utf8");
const K = {
  risk: bytes('{"risk_score":'),
  profile: bytes(',"profile":'),
  alert: bytes(',"alert":'),
  display: DISPLAY.map(([key], i) => bytes(`${i === 0 ? ',"display_metrics":{' : ","}${JSON.stringify(key)}:"`)),
  units: DISPLAY.map(([, , unit]) => bytes(`${unit}"`)),
  forecast: FORECAST_KEYS.map((key, g) => bytes(`${g === 0 ? '},"forecast":{' : ","}${JSON.stringify(key)}:[`)),
  anomaly: bytes('},"anomaly_score":'),
  message: bytes(',"message":'),
  timeToIssue: bytes(',"time_to_issue_minutes":'),
  lastSeen: bytes(',"last_seen":'),
  colon: bytes(":"),
  close: bytes("]"),
  end: bytes("}"),
  null: bytes("null"),
};

interface Axis {
  list: string[];
  json: Buffer;
}

/**
 * The forecast time axes of a prediction (12 data times after the server's last record). Fleets
 * report on a shared clock, so the axes repeat: each is formatted once, as strings and as its JSON.
 */
export class ForecastAxes {
  private readonly axes = new Map<string, Axis>();
  /** The axis last asked for, and what it was asked for (most servers in a row share it). */
  private last: { ms: number; stepMs: number; offsetLess: boolean; axis: Axis | null } = {
    ms: Number.NaN,
    stepMs: 0,
    offsetLess: false,
    axis: null,
  };

  get(s: ServerTracker): Axis {
    const stepMs = stepOf(s);
    const last = this.last;
    if (last.axis && last.ms === s.lastMs && last.stepMs === stepMs && last.offsetLess === s.offsetLess)
      return last.axis;
    const key = `${s.lastMs}|${stepMs}|${s.offsetLess}`;
    let axis = this.axes.get(key);
    if (!axis) {
      const list: string[] = [];
      for (let k = 1; k <= FORECAST_POINTS; k++) list.push(formatDataTime(s.lastMs + k * stepMs, s.offsetLess));
      axis = { list, json: bytes(`,"timestamps":${JSON.stringify(list)}`) };
      if (this.axes.size >= 64) this.axes.clear();
      this.axes.set(key, axis);
    }
    this.last = { ms: s.lastMs, stepMs, offsetLess: s.offsetLess, axis };
    return axis;
  }
}

/** Forecast step: the server's sampling interval, whole seconds (at least one). */
function stepOf(s: ServerTracker): number {
  return Math.max(1000, Math.round(s.intervalMs / 1000) * 1000);
}

/** Whether forecast group `g` is a percentage (clamped to 0–100; the others only to ≥ 0). */
const PERCENT = FORECAST_GROUPS.map((g) => PERCENT_GROUPS.has(g));
/** Scratch for one server's forecast (serialisation is synchronous: one server at a time). */
const slots = new Uint8Array(FORECAST_POINTS);
const points = new Float64Array(FORECAST_POINTS);

/** Hour slots of a server's `FORECAST_POINTS` forecast times, into `slots`. */
function forecastSlots(s: ServerTracker, stepMs: number): void {
  for (let k = 1; k <= FORECAST_POINTS; k++) slots[k - 1] = hourSlot(s.lastMs + k * stepMs);
}

/**
 * Forecast group `g` of a server, 1…`FORECAST_POINTS` steps ahead (slots from `forecastSlots`),
 * clamped (percentages to 0–100) and counted in hundredths (the prediction's value is that / 100),
 * into `points`.
 */
function forecastHundredths(s: ServerTracker, rt: ModelRuntime, g: number): void {
  s.forecasters[g]!.forecastSeries(slots, rt.tables[g]!, points);
  const pct = PERCENT[g];
  for (let k = 0; k < FORECAST_POINTS; k++) {
    const v = points[k]!;
    points[k] = Math.round((pct ? Math.min(100, Math.max(0, v)) : Math.max(0, v)) * 100);
  }
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A server's entry of the seed's `/predictions/current` map, as an object. */
export function serverPrediction(s: ServerTracker, rt: ModelRuntime, axes: ForecastAxes): ServerPrediction {
  const stepMs = stepOf(s);
  const forecast = {} as ServerPrediction["forecast"];
  forecastSlots(s, stepMs);
  for (let g = 0; g < FORECAST_GROUPS.length; g++) {
    forecastHundredths(s, rt, g);
    const series: number[] = [];
    for (let k = 0; k < FORECAST_POINTS; k++) series.push(points[k]! / 100);
    forecast[FORECAST_KEYS[g]!] = series;
    if (g === TIMESTAMPS_AFTER) forecast.timestamps = axes.get(s).list;
  }
  const display_metrics = {} as ServerPrediction["display_metrics"];
  for (const [key, i, unit] of DISPLAY) display_metrics[key] = `${s.current[i]!.toFixed(1)}${unit}`;
  return {
    risk_score: roundRisk(s.risk),
    profile: s.profile,
    alert: alertBadge(s.risk),
    display_metrics,
    forecast,
    anomaly_score: round3(s.anomaly),
    message: s.message,
    time_to_issue_minutes: s.timeToIssueMinutes,
    last_seen: s.lastTimestamp,
  };
}

/**
 * `"name":{prediction}` of a server appended to `out`: the bytes of
 * `${JSON.stringify(s.name)}:${JSON.stringify(serverPrediction(s, rt, axes))}` (tested byte for byte),
 * written from the tracker's state without building the object or its strings.
 */
export function writeServerPrediction(out: JsonBytes, s: ServerTracker, rt: ModelRuntime, axes: ForecastAxes): void {
  const stepMs = stepOf(s);
  out.str(s.name);
  out.raw(K.colon);
  out.raw(K.risk);
  const score = roundRisk(s.risk);
  out.num(score);
  out.raw(K.profile);
  out.str(s.profile);
  out.raw(K.alert);
  const badge = alertBadgeJson(score);
  out.raw(badge[0]);
  out.num(score);
  out.raw(badge[1]);
  for (let d = 0; d < DISPLAY.length; d++) {
    out.raw(K.display[d]!);
    out.fixed1(s.current[DISPLAY[d]![1]]!);
    out.raw(K.units[d]!);
  }
  forecastSlots(s, stepMs);
  for (let g = 0; g < FORECAST_GROUPS.length; g++) {
    out.raw(K.forecast[g]!);
    forecastHundredths(s, rt, g);
    for (let k = 0; k < FORECAST_POINTS; k++) {
      if (k > 0) out.byte(COMMA);
      out.hundredths(points[k]!);
    }
    out.raw(K.close);
    if (g === TIMESTAMPS_AFTER) out.raw(axes.get(s).json);
  }
  out.raw(K.anomaly);
  out.num(round3(s.anomaly));
  out.raw(K.message);
  if (s.message === null) out.raw(K.null);
  else out.str(s.message);
  out.raw(K.timeToIssue);
  if (s.timeToIssueMinutes === null) out.raw(K.null);
  else out.num(s.timeToIssueMinutes);
  out.raw(K.lastSeen);
  out.str(s.lastTimestamp);
  out.raw(K.end);
}
