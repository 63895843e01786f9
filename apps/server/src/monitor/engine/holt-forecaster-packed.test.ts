import { describe, expect, it } from "vitest";
import { ForecastTables, HOLT_STATE, HoltForecaster, MAX_STEPS } from "./holt-forecaster.js";
import type { SmoothingParams } from "./model-params.js";
import { rng } from "./synthetic-fleet.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MIN_DAY_SLOTS = 20;

/** The forecaster as it was before its state moved into one buffer (plain fields): the reference. */
class FieldHoltForecaster {
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

describe("HoltForecaster in a shared buffer", () => {
  it("gives bit-identical state and forecasts to the field-based forecaster (days, gaps, seasons)", () => {
    const r = rng(18);
    const params: SmoothingParams[] = [
      { alpha: 0.3, beta: 0.1, gamma: 0.3, phi: 0.998 },
      { alpha: 0.05, beta: 0.02, gamma: 0.1, phi: 0.9 },
    ];
    for (let run = 0; run < 6; run++) {
      const p = params[run % 2] as SmoothingParams;
      const tab = new ForecastTables(p);
      const season = run % 3 === 0 ? undefined : Array.from({ length: 24 }, () => r() * 10 - 5);
      // Several forecasters side by side in one store, like a server tracker's.
      const store = new Float64Array(3 * HOLT_STATE).fill(123.456);
      const packed = [0, 1, 2].map((i) => new HoltForecaster(season, store, i * HOLT_STATE));
      const refs = [0, 1, 2].map(() => new FieldHoltForecaster(season));
      let ms = Date.UTC(2025, 0, 15) + Math.floor(r() * DAY_MS);
      const step = [60_000, 300_000, 600_000][run % 3] as number;
      for (let i = 0; i < 3000; i++) {
        // Mostly regular samples, sometimes a gap of several steps (or several hours).
        const steps = r() < 0.02 ? 1 + Math.floor(r() * (r() < 0.2 ? 200 : 8)) : 1;
        ms += steps * step;
        for (let k = 0; k < 3; k++) {
          const x = 40 + 20 * Math.sin((2 * Math.PI * (ms % DAY_MS)) / DAY_MS + k) + 5 * r() + (i % 500) * 0.01 * k;
          const a = packed[k]!.update(x, ms, steps, p, tab, 0.02, 0.002);
          const b = refs[k]!.update(x, ms, steps, p, tab, 0.02, 0.002);
          expect(Object.is(a, b)).toBe(true);
        }
      }
      for (let k = 0; k < 3; k++) {
        const a = packed[k]!;
        const b = refs[k]!;
        for (const f of ["level", "trend", "errVar", "longMean", "longVar", "count"] as const) expect(a[f]).toBe(b[f]);
        for (let slot = 0; slot < 24; slot++) {
          expect(a.seasonal(slot)).toBe(b.seasonal(slot));
          expect(a.fitted(slot)).toBe(b.fitted(slot));
          for (const h of [1, 6, 12, 96, MAX_STEPS + 5])
            expect(a.forecast(h, slot, tab)).toBe(b.forecast(h, slot, tab));
        }
      }
    }
  });

  it("keeps each forecaster to its own part of the store", () => {
    const store = new Float64Array(2 * HOLT_STATE + 1).fill(7);
    const p = { alpha: 0.3, beta: 0.1, gamma: 0.3, phi: 0.998 };
    const tab = new ForecastTables(p);
    const a = new HoltForecaster(undefined, store, 0);
    const b = new HoltForecaster(undefined, store, HOLT_STATE);
    a.update(10, 0, 1, p, tab, 0.02, 0.002);
    expect(b.count).toBe(0);
    expect(Number.isNaN(b.level)).toBe(true);
    expect(store[2 * HOLT_STATE]).toBe(7);
    expect(() => new HoltForecaster(undefined, store, HOLT_STATE + 2)).toThrow(RangeError);
  });
});
