import type { ServerStatus } from "@aegis/contracts";
import { gaussianTail } from "../../forecast/gaussian-tail.js";
import type { ForecastTables } from "./holt-forecaster.js";
import { MAX_STEPS } from "./holt-forecaster.js";
import type { RiskWeights, Thresholds } from "./model-params.js";
import { G_ANOMALY, G_STATUS, N_FORECAST, N_GROUPS, N_NUMERIC } from "./risk-features.js";

/**
 * Everything the risk function reads, grouped so that a Shapley "player" is one group: for a
 * forecast group g, the fitted current value, damped trend (per step), one-step residual sd, the
 * long-run spread, and the seasonal lift expected within 30 minutes / 8 hours; for network and
 * close_wait only the value; then the held anomaly score and the reported status.
 */
export class RiskInput {
  readonly value = new Float64Array(N_NUMERIC);
  readonly trend = new Float64Array(N_FORECAST);
  readonly sigma = new Float64Array(N_FORECAST);
  readonly spread = new Float64Array(N_FORECAST);
  readonly lift30 = new Float64Array(N_FORECAST);
  readonly lift8h = new Float64Array(N_FORECAST);
  anomaly = 0;
  status: ServerStatus = "healthy";

  /** Sets group `g` (a RISK_GROUPS index) to its value in `src`. */
  copyGroup(src: RiskInput, g: number): void {
    if (g < N_FORECAST) {
      this.value[g] = src.value[g]!;
      this.trend[g] = src.trend[g]!;
      this.sigma[g] = src.sigma[g]!;
      this.spread[g] = src.spread[g]!;
      this.lift30[g] = src.lift30[g]!;
      this.lift8h[g] = src.lift8h[g]!;
    } else if (g < N_NUMERIC) this.value[g] = src.value[g]!;
    else if (g === G_ANOMALY) this.anomaly = src.anomaly;
    else this.status = src.status;
  }

  copyFrom(src: RiskInput): this {
    for (let g = 0; g < N_GROUPS; g++) this.copyGroup(src, g);
    return this;
  }
}

/** What the risk of one server is judged against: its profile, the model weights, its horizons. */
export interface RiskContext {
  /** By numeric group index. */
  thresholds: readonly Thresholds[];
  /** By numeric group index. */
  groupWeight: Float64Array;
  weights: RiskWeights;
  /** By forecast group index. */
  tables: readonly ForecastTables[];
  /** Horizons in the server's sampling steps. */
  steps30: number;
  steps8h: number;
}

/** Per-group detail of one evaluation (hazards are weighted, in 0..1). */
export class RiskBreakdown {
  risk = 0;
  readonly hazard = new Float64Array(N_GROUPS);
  /** Probability that the forecast group crosses its danger threshold within 30 min / 8 h. */
  readonly p30 = new Float64Array(N_FORECAST);
  readonly p8h = new Float64Array(N_FORECAST);
}

const scratch = new RiskBreakdown();

/**
 * Risk 0..100 = 100·(1 − ∏(1 − h_g)): a noisy-or of group hazards, so one breached metric alone
 * can make a server critical and several moderate ones add up without exceeding 100. A numeric
 * group's hazard is its weight times the largest of
 *  - its current severity: 0 at the healthy point, rising quadratically (small deviations barely
 *    count) to `warnSeverity` at the warning threshold, then linearly to 1 at the danger threshold;
 *  - the probability of crossing the danger threshold within 30 minutes (× breach30m) or 8 hours
 *    (× breach8h), from the damped-trend forecast and its Gaussian prediction interval.
 * Anomaly and status add their own hazards. Pure: same input, same output.
 */
export function evaluateRisk(x: RiskInput, ctx: RiskContext, out: RiskBreakdown = scratch): number {
  const w = ctx.weights;
  let survive = 1;
  for (let g = 0; g < N_NUMERIC; g++) {
    const t = ctx.thresholds[g]!;
    let h = severity(x.value[g]!, t, w.warnSeverity);
    if (g < N_FORECAST) {
      const p30 = breachProbability(x, g, ctx.steps30, x.lift30[g]!, t.crit, ctx.tables[g]!);
      const p8h = Math.max(
        p30,
        breachProbability(x, g, ctx.steps30 * 4, x.lift8h[g]!, t.crit, ctx.tables[g]!),
        breachProbability(x, g, ctx.steps8h, x.lift8h[g]!, t.crit, ctx.tables[g]!),
      );
      out.p30[g] = p30;
      out.p8h[g] = p8h;
      h = Math.max(h, w.breach30m * p30, w.breach8h * p8h);
    }
    const hw = ctx.groupWeight[g]! * h;
    out.hazard[g] = hw;
    survive *= 1 - hw;
  }
  const a = w.anomaly * clamp01((x.anomaly - w.anomalyFloor) / (1 - w.anomalyFloor));
  out.hazard[G_ANOMALY] = a;
  const s = clamp01(w.status[x.status] ?? 0);
  out.hazard[G_STATUS] = s;
  survive *= (1 - a) * (1 - s);
  out.risk = 100 * (1 - survive);
  return out.risk;
}

function severity(v: number, t: Thresholds, warnSeverity: number): number {
  if (v <= t.normal) return 0;
  if (v < t.warn) {
    const u = (v - t.normal) / (t.warn - t.normal);
    return warnSeverity * u * u;
  }
  if (v < t.crit) return warnSeverity + ((1 - warnSeverity) * (v - t.warn)) / (t.crit - t.warn);
  return 1;
}

/**
 * P(forecast h steps ahead ≥ crit). The h-step sd grows with the ETS variance multiplier but is
 * capped at √(σ² + spread²): beyond a few steps the uncertainty of a bounded, mean-reverting metric
 * is its own variability, not a random walk's.
 */
function breachProbability(x: RiskInput, g: number, steps: number, lift: number, crit: number, tab: ForecastTables) {
  const h = Math.min(Math.max(1, steps), MAX_STEPS);
  const mean = x.value[g]! + x.trend[g]! * tab.damped[h]! + lift;
  const s2 = x.sigma[g]! * x.sigma[g]!;
  const sd = Math.sqrt(Math.min(s2 * tab.variance[h]!, s2 + x.spread[g]! * x.spread[g]!)) + 1e-6;
  const z = (crit - mean) / sd;
  // Beyond 8σ the tail is < 1e-15: skip the exp (most metrics of a healthy fleet are there).
  return z > 8 ? 0 : gaussianTail(z);
}

function clamp01(v: number): number {
  return v <= 0 ? 0 : Math.min(v, 1);
}

/**
 * The healthy reference of a profile: every metric at its fitted operating point with its
 * typical noise, no trend, no seasonal lift, no anomaly, status "healthy". It is the Shapley
 * baseline (an absent group takes these values) and the target of the counterfactuals.
 */
export function baselineInput(thresholds: readonly Thresholds[], out = new RiskInput()): RiskInput {
  for (let g = 0; g < N_NUMERIC; g++) out.value[g] = thresholds[g]!.normal;
  for (let g = 0; g < N_FORECAST; g++) {
    out.trend[g] = 0;
    out.sigma[g] = thresholds[g]!.scale;
    out.spread[g] = thresholds[g]!.scale;
    out.lift30[g] = 0;
    out.lift8h[g] = 0;
  }
  out.anomaly = 0;
  out.status = "healthy";
  return out;
}
