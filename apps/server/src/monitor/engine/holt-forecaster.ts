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

// Layout of a forecaster's state (doubles from its offset).
const LEVEL = 0;
const TREND = 1;
const ERR_VAR = 2;
const LONG_MEAN = 3;
const LONG_VAR = 4;
const COUNT = 5;
/** Sum of the uncentred hour-of-day profile (so centring is O(1)). */
const SEASON_SUM = 6;
/** The current day, where its level started and its last point. */
const DAY = 7;
const DAY_START_MS = 8;
const DAY_START_LEVEL = 9;
const DAY_LAST_MS = 10;
/** Uncentred hour-of-day profile, then the current day's per-hour sums and counts (24 each). */
const SEASON = 11;
const DAY_SUM = SEASON + 24;
const DAY_COUNT = DAY_SUM + 24;
/** Doubles one forecaster's state takes. */
export const HOLT_STATE = DAY_COUNT + 24;

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
  /**
   * The whole state lives in `HOLT_STATE` doubles of `s` from `o` on (layout above): a tracker
   * keeps its forecasters in one buffer, so a 10,000-server fleet holds 10,000 arrays instead of 180,000
   * typed arrays and ~500,000 boxed numbers for the garbage collector to visit (ADR 0023, fourth round).
   * Same float64 arithmetic in the same order as separate fields: results are bit-identical.
   */
  private readonly s: Float64Array;
  private readonly o: number;

  /** `season`: initial uncentred hour-of-day profile; `store`/`offset`: where the state lives (own buffer by default). */
  constructor(season?: readonly number[], store?: Float64Array, offset = 0) {
    if (store && (offset < 0 || offset + HOLT_STATE > store.length)) throw new RangeError("state out of the store");
    this.s = store ?? new Float64Array(HOLT_STATE);
    this.o = store ? offset : 0;
    const s = this.s;
    const o = this.o;
    s.fill(0, o, o + HOLT_STATE);
    s[o + LEVEL] = Number.NaN;
    s[o + DAY] = Number.NaN;
    if (season) {
      for (let h = 0; h < 24 && h < season.length; h++) s[o + SEASON + h] = season[h]!;
      let sum = 0;
      for (const v of season) sum += v;
      s[o + SEASON_SUM] = sum;
    }
  }

  get level(): number {
    return this.s[this.o + LEVEL]!;
  }

  get trend(): number {
    return this.s[this.o + TREND]!;
  }

  /** EW variance of one-step errors. */
  get errVar(): number {
    return this.s[this.o + ERR_VAR]!;
  }

  /** Slow EW mean and variance of the raw series. */
  get longMean(): number {
    return this.s[this.o + LONG_MEAN]!;
  }

  get longVar(): number {
    return this.s[this.o + LONG_VAR]!;
  }

  get count(): number {
    return this.s[this.o + COUNT]!;
  }

  /** Centred seasonal offset of an hour slot. */
  seasonal(slot: number): number {
    const s = this.s;
    const o = this.o;
    return s[o + SEASON + slot]! - s[o + SEASON_SUM]! / 24;
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
    const s = this.s;
    const o = this.o;
    const count = s[o + COUNT]! + 1;
    s[o + COUNT] = count;
    const a = Math.max(spreadAlpha, 1 / count);
    const dm = x - s[o + LONG_MEAN]!;
    s[o + LONG_MEAN] = s[o + LONG_MEAN]! + a * dm;
    s[o + LONG_VAR] = s[o + LONG_VAR]! + a * (dm * dm - s[o + LONG_VAR]!);

    const day = Math.floor(ms / DAY_MS);
    if (day !== s[o + DAY]) this.startDay(day, ms, p.gamma);
    const slot = Math.floor(ms / HOUR_MS) % 24;
    s[o + DAY_SUM + slot] = s[o + DAY_SUM + slot]! + x;
    s[o + DAY_COUNT + slot] = s[o + DAY_COUNT + slot]! + 1;
    s[o + DAY_LAST_MS] = ms;

    const y = x - (s[o + SEASON + slot]! - s[o + SEASON_SUM]! / 24);
    let e = Number.NaN;
    if (count === 1) s[o + LEVEL] = y;
    else {
      let level = s[o + LEVEL]!;
      let trend = s[o + TREND]!;
      if (steps > 1) {
        const gap = Math.min(steps - 1, MAX_STEPS);
        level += trend * tables.damped[gap]!;
        trend *= p.phi ** gap;
      }
      const damped = p.phi * trend;
      e = y - (level + damped);
      s[o + LEVEL] = level + (damped + p.alpha * e);
      s[o + TREND] = damped + p.alpha * p.beta * e;
      const va = Math.max(varianceAlpha, 1 / (count - 1));
      s[o + ERR_VAR] = s[o + ERR_VAR]! + va * (e * e - s[o + ERR_VAR]!);
    }
    if (ms === s[o + DAY_START_MS]) s[o + DAY_START_LEVEL] = s[o + LEVEL]!;
    return e;
  }

  /** Closes the previous day (learning from it if it covered enough hours) and opens `day`. */
  private startDay(day: number, ms: number, gamma: number): void {
    const s = this.s;
    const o = this.o;
    let slots = 0;
    let total = 0;
    let n = 0;
    for (let h = 0; h < 24; h++) {
      if (s[o + DAY_COUNT + h]! > 0) slots++;
      total += s[o + DAY_SUM + h]!;
      n += s[o + DAY_COUNT + h]!;
    }
    const prevDay = s[o + DAY]!;
    if (slots >= MIN_DAY_SLOTS && Number.isFinite(prevDay)) {
      const mean = total / n;
      const span = Math.max(s[o + DAY_LAST_MS]! - s[o + DAY_START_MS]!, 1);
      const drift = (s[o + LEVEL]! - s[o + DAY_START_LEVEL]!) / span;
      const mid = (s[o + DAY_START_MS]! + s[o + DAY_LAST_MS]!) / 2;
      for (let h = 0; h < 24; h++) {
        const c = s[o + DAY_COUNT + h]!;
        if (c === 0) continue;
        const at = prevDay * DAY_MS + (h + 0.5) * HOUR_MS;
        const d = s[o + DAY_SUM + h]! / c - mean - drift * (at - mid);
        const ds = gamma * (d - s[o + SEASON + h]!);
        s[o + SEASON + h] = s[o + SEASON + h]! + ds;
        s[o + SEASON_SUM] = s[o + SEASON_SUM]! + ds;
      }
    }
    s.fill(0, o + DAY_SUM, o + DAY_COUNT + 24);
    s[o + DAY] = day;
    s[o + DAY_START_MS] = ms;
  }

  /**
   * The risk input's seasonal terms at hour slot `slot` into `out`: [0] the fitted value (`fitted(slot)`),
   * [1] the lift to `slot30` (max(0, seasonal(slot30) − seasonal(slot))), [2] the largest lift over the next
   * 8 slots (≥ 0). The same float64 operations as through `seasonal`, with the season's mean divided once
   * instead of once per slot read (ADR 0023, eighth round): bit-identical results.
   */
  seasonalTerms(slot: number, slot30: number, out: Float64Array): void {
    const s = this.s;
    const o = this.o;
    const mean = s[o + SEASON_SUM]! / 24;
    const s0 = s[o + SEASON + slot]! - mean;
    out[0] = s[o + LEVEL]! + s0;
    out[1] = Math.max(0, s[o + SEASON + slot30]! - mean - s0);
    let lift = 0;
    for (let k = 1; k <= 8; k++) lift = Math.max(lift, s[o + SEASON + ((slot + k) % 24)]! - mean - s0);
    out[2] = lift;
  }

  /** The fitted current value (level + season now). */
  fitted(slot: number): number {
    return this.level + this.seasonal(slot);
  }

  /** Point forecast h steps ahead, landing in hour slot `slot`. */
  forecast(h: number, slot: number, tables: ForecastTables): number {
    return this.level + this.trend * tables.damped[Math.min(h, MAX_STEPS)]! + this.seasonal(slot);
  }

  /**
   * `forecast(k, slots[k − 1], tables)` for k = 1…`out.length`, into `out`: the same float64
   * operations with the state read and the season's mean divided once (bit-identical).
   */
  forecastSeries(slots: Uint8Array, tables: ForecastTables, out: Float64Array): void {
    const s = this.s;
    const o = this.o;
    const level = s[o + LEVEL]!;
    const trend = s[o + TREND]!;
    const mean = s[o + SEASON_SUM]! / 24;
    const damped = tables.damped;
    for (let k = 1; k <= out.length; k++) {
      out[k - 1] = level + trend * damped[Math.min(k, MAX_STEPS)]! + (s[o + SEASON + slots[k - 1]!]! - mean);
    }
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
