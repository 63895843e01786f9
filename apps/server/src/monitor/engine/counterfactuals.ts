import type { Explanation } from "../monitor-types.js";
import { roundRisk } from "./alert-level.js";
import { formatValue } from "./breach-message.js";
import {
  G_ANOMALY,
  G_STATUS,
  GROUP_LABELS,
  N_FORECAST,
  NUMERIC_GROUPS,
  type NumericGroup,
  PERCENT_GROUPS,
} from "./risk-features.js";
import { evaluateRisk, RiskBreakdown, type RiskContext, RiskInput } from "./risk-function.js";

export type Counterfactual = Explanation["counterfactuals"][number];

/** What an operator can do about each group (the scenario and its impact are computed). */
const RECOMMENDATIONS: Readonly<Record<NumericGroup | "anomaly" | "status", string>> = {
  cpu: "Rebalance or throttle CPU-heavy workloads",
  memory: "Consider restarting memory-heavy processes",
  swap: "Free memory or add RAM to stop swapping",
  disk: "Clean up logs and temporary files or extend the volume",
  iowait: "Check slow disks and heavy queries; spread I/O over time",
  load: "Reduce concurrency or add capacity",
  network: "Rate-limit or redistribute traffic",
  close_wait: "Restart the service leaking sockets or fix connection handling",
  anomaly: "Investigate what changed recently (deploys, jobs, traffic)",
  status: "Resolve the condition the server reports",
};

const scratch = new RiskBreakdown();

/**
 * What-if scenarios for the groups that add most risk, each re-evaluated through the risk
 * function: a growing metric gets "stop the growth" (trend → 0: the forecast changes, so does the
 * breach probability), a high one gets "reduce by N" (value lowered to midway between healthy and
 * warning, rounded to a readable step), anomaly and status are cleared. Ordered by contribution.
 */
export function counterfactuals(
  actual: RiskInput,
  ctx: RiskContext,
  contributions: Float64Array,
  intervalMs: number,
  max = 3,
): Counterfactual[] {
  const before = evaluateRisk(actual, ctx, scratch);
  const order = [...contributions.keys()].filter((g) => contributions[g]! > 0.05);
  order.sort((a, b) => contributions[b]! - contributions[a]!);
  const out: Counterfactual[] = [];
  for (const g of order) {
    if (out.length >= max) break;
    const changed = new RiskInput().copyFrom(actual);
    let scenario: string;
    let recommendation: string;
    if (g === G_ANOMALY) {
      changed.anomaly = 0;
      scenario = "Anomalous behaviour subsides";
      recommendation = RECOMMENDATIONS.anomaly;
    } else if (g === G_STATUS) {
      changed.status = "healthy";
      scenario = `Resolve the ${actual.status} status`;
      recommendation = RECOMMENDATIONS.status;
    } else {
      const group = NUMERIC_GROUPS[g]!;
      const what = trendDriven(actual, ctx, g)
        ? stopGrowth(changed, g, group, intervalMs)
        : reduce(changed, ctx, g, group);
      if (!what) continue;
      scenario = what;
      recommendation = RECOMMENDATIONS[group];
    }
    const after = evaluateRisk(changed, ctx, scratch);
    const [b, a] = [roundRisk(before), roundRisk(after)];
    out.push({
      scenario,
      impact: a < b ? `Risk drops from ${b} to ${a}` : `Risk stays at ${b}`,
      recommendation,
      risk_after: a,
    });
  }
  return out;
}

/** Whether the group's hazard comes mostly from its growth: flattening the trend at least halves it. */
function trendDriven(x: RiskInput, ctx: RiskContext, g: number): boolean {
  if (g >= N_FORECAST || x.trend[g]! <= 0) return false;
  evaluateRisk(x, ctx, scratch);
  const growing = scratch.hazard[g]!;
  const flat = new RiskInput().copyFrom(x);
  flat.trend[g] = 0;
  evaluateRisk(flat, ctx, scratch);
  return scratch.hazard[g]! < 0.5 * growing;
}

function stopGrowth(x: RiskInput, g: number, group: NumericGroup, intervalMs: number): string {
  const perHour = (x.trend[g]! * 3_600_000) / intervalMs;
  x.trend[g] = 0;
  const unit = PERCENT_GROUPS.has(group) ? " points" : "";
  return `Stop the ${GROUP_LABELS[group]} growth (currently +${perHour.toFixed(1)}${unit}/hour)`;
}

function reduce(x: RiskInput, ctx: RiskContext, g: number, group: NumericGroup): string | undefined {
  const t = ctx.thresholds[g]!;
  const v = x.value[g]!;
  const target = (t.normal + t.warn) / 2;
  if (v <= t.normal) return undefined;
  const step = PERCENT_GROUPS.has(group) ? 5 : niceStep(v - target);
  const by = Math.min(v, Math.max(step, Math.ceil((v - Math.max(target, t.normal)) / step) * step));
  x.value[g] = v - by;
  const amount = PERCENT_GROUPS.has(group) ? `${by}%` : formatValue(group, by);
  return `Reduce ${GROUP_LABELS[group]} by ${amount} (to ${formatValue(group, v - by)})`;
}

/** 1, 2 or 5 times a power of ten, about a fifth of the distance to cover. */
function niceStep(distance: number): number {
  const raw = Math.max(distance / 5, 1e-3);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : 5) * p;
}
