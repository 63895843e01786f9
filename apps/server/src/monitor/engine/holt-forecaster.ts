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

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Hour slots a day must cover before it updates the seasonal profile. */
const MIN_DAY_SLOTS = 20;

/**
 * Damped Holt (additive level + damped trend) on the deseasonalised series y = x − c[hour],
 * with a daily hour-of-day profile c learnt online once per completed day:
 *   e = y − (ℓ + φb);  ℓ ← ℓ + φb + αe;  b ← φb + αβe;
 *   at a day's end: d[h] = (day's mean at hour h) − (day's mean) − (that day's level drift at h),
 *                   s[h] ← s[h] + γ(d[h] − s[h]),  c = s − mean(s).
 * Learning the profile from whole days with the day's own drift removed keeps a trend (a memory
 * leak) out of it, and keeps a responsive level from absorbing the daily cycle before the profile
 * can learn it (what happens with per-point seasonal updates when each slot gets many samples).
 * Damping keeps long-horizon forecasts of a transient slope sane. Also tracks the one-step
 * residual variance (prediction intervals) and the long-run spread (which caps them: host metrics
 * are bounded and mean-reverting, not random walks). O(1) per point, O(24) once a day.
 */
export class HoltForecaster {
  level = Number.NaN;
  trend = 0;
  /** EW variance of one-step errors. */
  errVar = 0;
  /** Slow EW mean and variance of the raw series. */
  longMean = 0;
  longVar = 0;
  count = 0;
  /** Uncentred hour-of-day profile and its sum (so centring is O(1)). */
  private readonly season = new Float64Array(24);
  private seasonSum = 0;
  /** The current day's per-hour sums and counts, and where its level started. */
  private readonly daySum = new Float64Array(24);
  private readonly dayCount = new Float64Array(24);
  private day = Number.NaN;
  private dayStartMs = 0;
  private dayStartLevel = 0;
  private dayLastMs = 0;

  constructor(season?: readonly number[]) {
    if (season) {
      this.season.set(season);
      for (const v of season) this.seasonSum += v;
    }
  }

  /** Centred seasonal offset of an hour slot. */
  seasonal(slot: number): number {
    return this.season[slot]! - this.seasonSum / 24;
  }

  /**
   * Adds an observation at data time `ms`, `steps` sampling intervals after the previous one (a
   * gap first advances the state without correction). Returns the one-step error (NaN for the first point).
   */
  update(
    x: number,
    ms: number,
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

    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) this.startDay(day, ms, p.gamma);
    const slot = Math.floor(ms / HOUR_MS) % 24;
    this.daySum[slot] = this.daySum[slot]! + x;
    this.dayCount[slot] = this.dayCount[slot]! + 1;
    this.dayLastMs = ms;

    const y = x - this.seasonal(slot);
    let e = Number.NaN;
    if (this.count === 1) this.level = y;
    else {
      if (steps > 1) {
        const gap = Math.min(steps - 1, MAX_STEPS);
        this.level += this.trend * tables.damped[gap]!;
        this.trend *= p.phi ** gap;
      }
      const damped = p.phi * this.trend;
      e = y - (this.level + damped);
      this.level += damped + p.alpha * e;
      this.trend = damped + p.alpha * p.beta * e;
      const va = Math.max(varianceAlpha, 1 / (this.count - 1));
      this.errVar += va * (e * e - this.errVar);
    }
    if (ms === this.dayStartMs) this.dayStartLevel = this.level;
    return e;
  }

  /** Closes the previous day (learning from it if it covered enough hours) and opens `day`. */
  private startDay(day: number, ms: number, gamma: number): void {
    let slots = 0;
    let total = 0;
    let n = 0;
    for (let h = 0; h < 24; h++) {
      if (this.dayCount[h]! > 0) slots++;
      total += this.daySum[h]!;
      n += this.dayCount[h]!;
    }
    if (slots >= MIN_DAY_SLOTS && Number.isFinite(this.day)) {
      const mean = total / n;
      const span = Math.max(this.dayLastMs - this.dayStartMs, 1);
      const drift = (this.level - this.dayStartLevel) / span;
      const mid = (this.dayStartMs + this.dayLastMs) / 2;
      for (let h = 0; h < 24; h++) {
        if (this.dayCount[h] === 0) continue;
        const at = this.day * DAY_MS + (h + 0.5) * HOUR_MS;
        const d = this.daySum[h]! / this.dayCount[h]! - mean - drift * (at - mid);
        const ds = gamma * (d - this.season[h]!);
        this.season[h] = this.season[h]! + ds;
        this.seasonSum += ds;
      }
    }
    this.daySum.fill(0);
    this.dayCount.fill(0);
    this.day = day;
    this.dayStartMs = ms;
  }

  /** The fitted current value (level + season now). */
  fitted(slot: number): number {
    return this.level + this.seasonal(slot);
  }

  /** Point forecast h steps ahead, landing in hour slot `slot`. */
  forecast(h: number, slot: number, tables: ForecastTables): number {
    return this.level + this.trend * tables.damped[Math.min(h, MAX_STEPS)]! + this.seasonal(slot);
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
