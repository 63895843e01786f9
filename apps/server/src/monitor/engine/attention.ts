import type { Explanation } from "../monitor-types.js";
import { formatValue } from "./breach-message.js";
import type { RiskWeights, Thresholds } from "./model-params.js";
import { G_ANOMALY, G_STATUS, GROUP_LABELS, N_GROUPS, N_NUMERIC, NUMERIC_GROUPS, STATUSES } from "./risk-features.js";
import type { ServerWindow } from "./server-window.js";
import { WINDOW_STRIDE } from "./server-window.js";

/** Periods of the rolling window, by age of the data (minutes before the last record). */
const PERIODS: readonly { from: number; to: number; phrase: string }[] = [
  { from: 0, to: 30, phrase: "Last 30 minutes" },
  { from: 30, to: 60, phrase: "30 minutes ago" },
  { from: 60, to: 120, phrase: "1 hour ago" },
  { from: 120, to: 240, phrase: "2 hours ago" },
  { from: 240, to: 480, phrase: "4 hours ago" },
  { from: 480, to: 1440, phrase: "8 hours ago" },
  { from: 1440, to: Number.POSITIVE_INFINITY, phrase: "1 day ago" },
];

/**
 * Which parts of the rolling window drove the score. Each group's weight is its (positive)
 * Shapley contribution; each period's attention is the weighted mean deviation of the groups
 * over that period, where a metric's deviation is how far it sat from the healthy point towards
 * its danger threshold, (x − normal)/(crit − normal) ≥ 0, the anomaly its held score and the
 * status its hazard. Points older than the window's full-resolution part count as their blocks
 * (block means weighted by the points they hold; a block is placed by its first point's age, so a
 * period edge beyond 2 hours is as sharp as one block). Periods within half of the strongest are reported, strongest first (at
 * most 3); the analysis names the metric that dominates the strongest period and its direction.
 */
export function focusPeriods(
  window: ServerWindow,
  thresholds: readonly Thresholds[],
  weights: RiskWeights,
  contributions: Float64Array,
  lastMs: number,
): Explanation["attention"] {
  const w = new Float64Array(N_GROUPS);
  let total = 0;
  for (let g = 0; g < N_GROUPS; g++) total += w[g] = Math.max(0, contributions[g]!);
  if (total <= 0) {
    return { focus_periods: ["Last 30 minutes"], analysis: "No group raises the risk above the healthy reference" };
  }

  const sums = PERIODS.map(() => new Float64Array(N_GROUPS));
  const counts = new Float64Array(PERIODS.length);
  const raw = PERIODS.map(() => new Float64Array(N_NUMERIC));
  const firsts = PERIODS.map(() => new Float64Array(N_NUMERIC).fill(Number.NaN));
  const lasts = PERIODS.map(() => new Float64Array(N_NUMERIC));
  const spans = PERIODS.map(() => [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  // An entry of the window is a point or a block of older points (its means, weighted by its size).
  for (let i = 0; i < window.length; i++) {
    const t = window.timeAt(i);
    const age = (lastMs - t) / 60_000;
    const p = PERIODS.findIndex((q) => age >= q.from && age < q.to);
    if (p < 0) continue;
    const n = window.weightAt(i);
    counts[p]! += n;
    const span = spans[p]!;
    span[0] = Math.min(span[0]!, t);
    span[1] = Math.max(span[1]!, t);
    for (let g = 0; g < N_NUMERIC; g++) {
      const x = window.valueAt(i, g);
      const th = thresholds[g]!;
      sums[p]![g]! += n * Math.max(0, (x - th.normal) / (th.crit - th.normal));
      raw[p]![g]! += n * x;
      if (Number.isNaN(firsts[p]![g]!)) firsts[p]![g] = x;
      lasts[p]![g] = x;
    }
    sums[p]![G_ANOMALY]! += n * window.valueAt(i, WINDOW_STRIDE - 2);
    const status = STATUSES[window.valueAt(i, WINDOW_STRIDE - 1)] ?? "healthy";
    sums[p]![G_STATUS]! += n * (weights.status[status] ?? 0);
  }

  const attention = PERIODS.map((_, p) => {
    if (counts[p] === 0) return 0;
    let a = 0;
    for (let g = 0; g < N_GROUPS; g++) a += (w[g]! * sums[p]![g]!) / counts[p]!;
    return a / total;
  });
  const best = Math.max(...attention);
  const ranked = attention
    .map((a, p) => ({ a, p }))
    .filter((x) => x.a > 0 && x.a >= 0.5 * best)
    // Near-ties (a metric pinned at its limit for hours) go to the most recent period.
    .sort((x, y) => Math.round((y.a - x.a) * 1000) || x.p - y.p)
    .slice(0, 3);
  if (ranked.length === 0) {
    return { focus_periods: ["Last 30 minutes"], analysis: "The window holds no deviation from the healthy reference" };
  }

  const top = ranked[0]!.p;
  let g = 0;
  for (let k = 1; k < N_GROUPS; k++) if (w[k]! * sums[top]![k]! > w[g]! * sums[top]![g]!) g = k;
  const phrase = PERIODS[top]!.phrase.toLowerCase();
  const when = top === 0 ? "in the last 30 minutes" : phrase;
  let analysis: string;
  if (g === G_ANOMALY) {
    analysis = `Model focused on anomalous behaviour ${when} (mean anomaly score ${(sums[top]![g]! / counts[top]!).toFixed(2)})`;
  } else if (g === G_STATUS) {
    analysis = `Model focused on the reported status ${when}`;
  } else {
    const group = NUMERIC_GROUPS[g]!;
    const th = thresholds[g]!;
    const hours = Math.max((spans[top]![1]! - spans[top]![0]!) / 3_600_000, 1e-9);
    const rate = (lasts[top]![g]! - firsts[top]![g]!) / hours;
    const mean = raw[top]![g]! / counts[top]!;
    const direction =
      Math.abs(rate) * hours < 0.02 * (th.crit - th.normal) ? "elevated" : rate > 0 ? "rising" : "falling";
    const rateText =
      direction === "elevated" ? "" : `, ${rate > 0 ? "+" : "−"}${formatValue(group, Math.abs(rate))}/hour`;
    analysis = `Model focused on ${direction} ${GROUP_LABELS[group]} ${when} (about ${formatValue(group, mean)} vs healthy ${formatValue(group, th.normal)}${rateText})`;
  }
  return { focus_periods: ranked.map((x) => PERIODS[x.p]!.phrase), analysis };
}
