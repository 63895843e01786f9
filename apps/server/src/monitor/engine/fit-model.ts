import type { MetricRecord } from "@aegis/contracts";
import type { MonitorModel } from "../monitor-types.js";
import { hourSlot, parseDataTime } from "./data-time.js";
import { ForecastTables, HoltForecaster } from "./holt-forecaster.js";
import { defaultParams, type ModelParams, paramsOf, type SmoothingParams } from "./model-params.js";
import {
  FORECAST_GROUPS,
  G_CPU,
  G_IOWAIT,
  G_MEMORY,
  N_FORECAST,
  N_NUMERIC,
  NUMERIC_GROUPS,
  type NumericGroup,
  writeNumericFeatures,
} from "./risk-features.js";
import { PROFILES, type ProfileName, profileFromMetrics, profileFromName } from "./server-profile.js";

export interface FitOptions {
  epochs: number;
  /** Start from `base.params` (true) or from the defaults (false). */
  incremental: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { epoch: number; totalEpochs: number; loss: number }) => void;
  /** Clock for the model's name and `created` (defaults to now); the fit itself never reads the clock. */
  now?: Date;
}

/** One server's history, time-ordered and de-duplicated like the engine does, as typed arrays. */
export interface ServerHistory {
  name: string;
  profile: ProfileName;
  times: Float64Array;
  /** n × 8 numeric group values. */
  values: Float64Array;
  healthy: Uint8Array;
  /** Median sampling interval (ms): gaps count as multiple steps, as in the engine. */
  intervalMs: number;
}

/** Groups whose thresholds are not physical limits (no 100%): fitted from the fleet's own spread. */
const UNBOUNDED: readonly NumericGroup[] = ["load", "network", "close_wait"];
/** Minimum records of a profile before its operating points are refitted. */
const MIN_RECORDS = 30;
/** Leading one-step errors per server left out of the loss while the forecaster settles. */
const SETTLE = 12;

/**
 * Fits a model to recorded metrics. Before the epochs, one pass fits each profile's healthy
 * operating point (median and 1.4826·MAD of its healthy records), the thresholds of the unbounded
 * metrics, and hour-of-day seasonal profiles (median deviation from each server's median per
 * hour, when the history spans a day). Each epoch is then one pass over the history that takes
 * one coordinate-search step on every forecast metric's smoothing factors (α, β, γ, φ): all ±step
 * moves are scored by one-step-ahead squared error (normalised by the metric's variance), the best
 * move is kept, and the step halves when none helps. The reported loss is the mean normalised
 * one-step error of the kept parameters. Synchronous; checks `signal` between epochs.
 */
export function fitModel(
  history: Iterable<MetricRecord> | MetricRecord[],
  base: MonitorModel,
  opts: FitOptions,
): MonitorModel {
  checkAbort(opts.signal);
  const servers = collectHistory(history);
  const params = opts.incremental ? paramsOf(base) : defaultParams();
  fitOperatingPoints(servers, params);
  fitSeasonal(servers, params);

  const steps = new Float64Array(N_FORECAST).fill(0.5);
  const variances = FORECAST_GROUPS.map((_, g) => seriesVariance(servers, g));
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    checkAbort(opts.signal);
    let loss = 0;
    for (let g = 0; g < N_FORECAST; g++) {
      const group = FORECAST_GROUPS[g]!;
      const current = params.smoothing[group];
      const candidates = [current, ...neighbours(current, steps[g]!)];
      const losses = oneStepLosses(servers, params, g, candidates).map((l) => l / variances[g]!);
      let best = 0;
      for (let c = 1; c < candidates.length; c++) if (losses[c]! < losses[best]!) best = c;
      if (best === 0) steps[g] = steps[g]! / 2;
      params.smoothing[group] = candidates[best]!;
      loss += losses[best]!;
    }
    opts.onProgress?.({ epoch, totalEpochs: opts.epochs, loss: loss / N_FORECAST });
  }

  const now = opts.now ?? new Date();
  return {
    name: `argus_model_${stamp(now)}`,
    version: base.version + 1,
    created: now.toISOString(),
    params: params as unknown as Record<string, unknown>,
  };
}

/** Mean normalised one-step-ahead squared error of the forecasters under `params` (the fit's loss). */
export function forecastLoss(history: Iterable<MetricRecord> | MetricRecord[], params: ModelParams): number {
  const servers = collectHistory(history);
  let loss = 0;
  for (let g = 0; g < N_FORECAST; g++) {
    const [l] = oneStepLosses(servers, params, g, [params.smoothing[FORECAST_GROUPS[g]!]]);
    loss += l! / seriesVariance(servers, g);
  }
  return loss / N_FORECAST;
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const err = new Error("model fit aborted");
    err.name = "AbortError";
    throw err;
  }
}

/** Groups records per server, sorted by time, dropping repeated timestamps (the engine keeps the first). */
export function collectHistory(history: Iterable<MetricRecord> | MetricRecord[]): ServerHistory[] {
  const byServer = new Map<string, { ms: number; r: MetricRecord }[]>();
  for (const r of history) {
    const ms = parseDataTime(r.timestamp);
    if (!Number.isFinite(ms)) continue;
    const list = byServer.get(r.server_name) ?? [];
    if (list.length === 0) byServer.set(r.server_name, list);
    list.push({ ms, r });
  }
  const out: ServerHistory[] = [];
  for (const [name, list] of byServer) {
    list.sort((a, b) => a.ms - b.ms);
    const kept = list.filter((x, i) => i === 0 || x.ms > list[i - 1]!.ms);
    const n = kept.length;
    const times = new Float64Array(n);
    const values = new Float64Array(n * N_NUMERIC);
    const healthy = new Uint8Array(n);
    let java = 0;
    kept.forEach((x, i) => {
      times[i] = x.ms;
      writeNumericFeatures(x.r, values, i * N_NUMERIC);
      healthy[i] = x.r.status === "healthy" ? 1 : 0;
      java += x.r.java_cpu_pct;
    });
    const mean = (g: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += values[i * N_NUMERIC + g]!;
      return s / n;
    };
    const cpu = mean(G_CPU);
    const profile =
      profileFromName(name) ??
      profileFromMetrics({
        cpu,
        memory: mean(G_MEMORY),
        iowait: mean(G_IOWAIT),
        network: mean(6),
        javaShare: cpu > 0 ? java / n / cpu : 0,
      });
    const gaps = Float64Array.from({ length: Math.max(0, n - 1) }, (_, i) => times[i + 1]! - times[i]!);
    out.push({ name, profile, times, values, healthy, intervalMs: n > 1 ? median(gaps) : 300_000 });
  }
  return out;
}

/**
 * Healthy operating point per profile and group: median and 1.4826·MAD of the healthy records
 * (all records if fewer than 30 are healthy). `normal` stays below 80% of the warning threshold so
 * severities stay defined; for unbounded metrics warn/crit move out to median + 6/12 scales when
 * the fleet normally runs above the defaults.
 */
function fitOperatingPoints(servers: ServerHistory[], params: ModelParams): void {
  const defaults = defaultParams();
  for (const profile of PROFILES) {
    const members = servers.filter((s) => s.profile === profile);
    for (let g = 0; g < N_NUMERIC; g++) {
      let xs = pick(members, g, true);
      if (xs.length < MIN_RECORDS) xs = pick(members, g, false);
      if (xs.length < MIN_RECORDS) continue;
      const group = NUMERIC_GROUPS[g]!;
      const t = params.profiles[profile].thresholds[group];
      const d = defaults.profiles[profile].thresholds[group];
      const med = median(xs);
      const scale = Math.max(1.4826 * median(xs.map((x) => Math.abs(x - med))), 0.01 * Math.max(d.crit, 1));
      if (UNBOUNDED.includes(group)) {
        t.warn = Math.max(d.warn, med + 6 * scale);
        t.crit = Math.max(d.crit, med + 12 * scale, 1.5 * t.warn);
      }
      t.normal = Math.min(med, 0.8 * t.warn);
      t.scale = scale;
    }
  }
}

function pick(members: ServerHistory[], g: number, healthyOnly: boolean): Float64Array {
  const xs: number[] = [];
  for (const s of members) {
    for (let i = 0; i < s.times.length; i++) if (!healthyOnly || s.healthy[i]) xs.push(s.values[i * N_NUMERIC + g]!);
  }
  return Float64Array.from(xs);
}

/**
 * Hour-of-day profile per profile and forecast group: the median, per UTC hour, of each value's
 * deviation from its server's median, centred to mean 0. Needs at least three values in every hour.
 */
function fitSeasonal(servers: ServerHistory[], params: ModelParams): void {
  for (const profile of PROFILES) {
    const members = servers.filter((s) => s.profile === profile && s.times.length > 1);
    if (members.length === 0) continue;
    for (let g = 0; g < N_FORECAST; g++) {
      const slots: number[][] = Array.from({ length: 24 }, () => []);
      for (const s of members) {
        const n = s.times.length;
        if (s.times[n - 1]! - s.times[0]! < 86_400_000) continue;
        const col = Float64Array.from({ length: n }, (_, i) => s.values[i * N_NUMERIC + g]!);
        const med = median(col);
        for (let i = 0; i < n; i++) slots[hourSlot(s.times[i]!)]!.push(col[i]! - med);
      }
      if (slots.some((x) => x.length < 3)) continue;
      const raw = slots.map((x) => median(Float64Array.from(x)));
      const mean = raw.reduce((a, b) => a + b, 0) / 24;
      params.profiles[profile].seasonal[FORECAST_GROUPS[g]!] = raw.map((x) => Math.round((x - mean) * 1000) / 1000);
    }
  }
}

/** Bounds of each smoothing factor; the search moves in logit space inside them. */
const BOUNDS: Record<keyof SmoothingParams, [number, number]> = {
  alpha: [0.01, 0.99],
  beta: [0.001, 0.5],
  gamma: [0.01, 0.9],
  phi: [0.9, 0.99999],
};

function neighbours(p: SmoothingParams, step: number): SmoothingParams[] {
  const out: SmoothingParams[] = [];
  for (const key of Object.keys(BOUNDS) as (keyof SmoothingParams)[]) {
    const [lo, hi] = BOUNDS[key];
    const u = Math.min(Math.max((p[key] - lo) / (hi - lo), 1e-6), 1 - 1e-6);
    const z = Math.log(u / (1 - u));
    for (const dz of [-step, step]) {
      const v = lo + (hi - lo) / (1 + Math.exp(-(z + dz)));
      out.push({ ...p, [key]: v });
    }
  }
  return out;
}

/** Mean squared one-step error of each candidate on forecast group `g`, in one pass over the history. */
function oneStepLosses(servers: ServerHistory[], params: ModelParams, g: number, candidates: SmoothingParams[]) {
  const group = FORECAST_GROUPS[g]!;
  const tables = candidates.map((c) => new ForecastTables(c));
  const sums = new Float64Array(candidates.length);
  let count = 0;
  for (const s of servers) {
    const seasonal = params.profiles[s.profile].seasonal[group];
    const fs = candidates.map(() => new HoltForecaster(seasonal));
    for (let i = 0; i < s.times.length; i++) {
      const x = s.values[i * N_NUMERIC + g]!;
      const steps = i === 0 ? 1 : Math.max(1, Math.round((s.times[i]! - s.times[i - 1]!) / s.intervalMs));
      for (let c = 0; c < candidates.length; c++) {
        const e = fs[c]!.update(
          x,
          s.times[i]!,
          steps,
          candidates[c]!,
          tables[c]!,
          params.varianceAlpha,
          params.spreadAlpha,
        );
        if (i > SETTLE) sums[c]! += e * e;
      }
      if (i > SETTLE) count++;
    }
  }
  return Array.from(sums, (v) => (count > 0 ? v / count : 0));
}

/** Variance of a group's values over the history (floored), to make losses comparable across metrics. */
function seriesVariance(servers: ServerHistory[], g: number): number {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const s of servers) {
    for (let i = 0; i < s.times.length; i++) {
      const x = s.values[i * N_NUMERIC + g]!;
      n++;
      const d = x - mean;
      mean += d / n;
      m2 += d * (x - mean);
    }
  }
  return Math.max(n > 1 ? m2 / (n - 1) : 0, 1e-6);
}

function median(xs: Float64Array): number {
  if (xs.length === 0) return Number.NaN;
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** "20250115_100500" (UTC). */
function stamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}_${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}
