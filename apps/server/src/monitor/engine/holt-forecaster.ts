import type { SmoothingParams } from "./model-params.js";

/** Longest horizon the engine forecasts, in sampling steps (8 hours at 10-second sampling). */
export const MAX_STEPS = 2880;

/**
 * Per-parameter-set lookup tables so a forecast h steps ahead costs O(1):
 * `damped[h]` = φ + φ² + … + φ^h (the damped trend's cumulative effect) and `variance[h]` = the
 * h-step forecast error variance in units of the one-step variance for ETS(A,Ad,·):
 * 1 + Σ_{j<h} α²(1 + β·damped[j])² (Hyndman et al., Forecasting with Exponential Smoothing, ch. 6).
 */
export class ForecastTables {
  readonly damped = new Float64Array(MAX_STEPS + 1);
  readonly variance = new Float64Array(MAX_STEPS + 1);

  constructor(readonly params: SmoothingParams) {
    const { alpha, beta, phi } = params;
    let pow = 1;
    this.variance[1] = 1;
    for (let h = 1; h <= MAX_STEPS; h++) {
      pow *= phi;
      this.damped[h] = this.damped[h - 1]! + pow;
      if (h >= 2) {
        const c = alpha * (1 + beta * this.damped[h - 1]!);
        this.variance[h] = this.variance[h - 1]! + c * c;
      }
    }
  }
}

/**
 * Damped Holt (additive level + damped trend) with an additive hour-of-day seasonal profile,
 * learnt online in error-correction form:
 *   e = x − (ℓ + φb + s[hour]);  ℓ ← ℓ + φb + αe;  b ← φb + αβe;  s[hour] ← s[hour] + γe.
 * Damping keeps long-horizon forecasts of a transient slope sane; the seasonal profile keeps a
 * daily cycle from being read as a trend. It also tracks the one-step residual variance (for the
 * prediction interval) and the long-run spread of the series (which caps that interval: host
 * metrics are bounded and mean-reverting, not random walks). O(1) per point.
 */
export class HoltForecaster {
  level = Number.NaN;
  trend = 0;
  /** EW variance of one-step errors. */
  errVar = 0;
  /** EW mean and variance of the raw series. */
  longMean = 0;
  longVar = 0;
  count = 0;
  readonly season: Float64Array;

  constructor(season?: readonly number[]) {
    this.season = new Float64Array(24);
    if (season) this.season.set(season);
  }

  /**
   * Adds an observation at hour slot `slot`, `steps` sampling intervals after the previous one
   * (a gap first advances the state without correction). Returns the one-step error (NaN for the first point).
   */
  update(
    x: number,
    slot: number,
    steps: number,
    p: SmoothingParams,
    tables: ForecastTables,
    varianceAlpha: number,
    spreadAlpha: number,
  ): number {
    this.count++;
    const a = Math.max(spreadAlpha, 1 / this.count);
    const dm = x - this.longMean;
    this.longMean += a * dm;
    this.longVar += a * (dm * dm - this.longVar);
    if (this.count === 1) {
      this.level = x - this.season[slot]!;
      return Number.NaN;
    }
    if (steps > 1) {
      const gap = Math.min(steps - 1, MAX_STEPS);
      this.level += this.trend * tables.damped[gap]!;
      this.trend *= p.phi ** gap;
    }
    const damped = p.phi * this.trend;
    const e = x - (this.level + damped + this.season[slot]!);
    this.level += damped + p.alpha * e;
    this.trend = damped + p.alpha * p.beta * e;
    this.season[slot] = this.season[slot]! + p.gamma * e;
    const va = Math.max(varianceAlpha, 1 / (this.count - 1));
    this.errVar += va * (e * e - this.errVar);
    return e;
  }

  /** The fitted current value (level + season now). */
  fitted(slot: number): number {
    return this.level + this.season[slot]!;
  }

  /** Point forecast h steps ahead, landing in hour slot `slot`. */
  forecast(h: number, slot: number, tables: ForecastTables): number {
    return this.level + this.trend * tables.damped[Math.min(h, MAX_STEPS)]! + this.season[slot]!;
  }
}

/**
 * Steps until a damped trend starting at `value` reaches `target` (continuous; Infinity if it never does):
 * solves value + b·φ(1−φ^h)/(1−φ) = target for h. Seasonality is left out on purpose: the
 * question is where the trend is heading, not when the next daily peak comes.
 */
export function stepsToReach(value: number, trend: number, target: number, phi: number): number {
  if (value >= target) return 0;
  if (trend <= 0) return Number.POSITIVE_INFINITY;
  const need = target - value;
  if (phi >= 1) return need / trend;
  const rest = 1 - (need * (1 - phi)) / (trend * phi);
  return rest <= 0 ? Number.POSITIVE_INFINITY : Math.log(rest) / Math.log(phi);
}
