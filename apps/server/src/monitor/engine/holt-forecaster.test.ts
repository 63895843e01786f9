import { describe, expect, it } from "vitest";
import { ForecastTables, HoltForecaster, stepsToReach } from "./holt-forecaster.js";

const p = { alpha: 0.3, beta: 0.1, gamma: 0.3, phi: 0.998 };
/** Data time and hour slot of the i-th 5-minute sample. */
const T0 = Date.UTC(2025, 0, 15);
const at5 = (i: number) => T0 + i * 300_000;
const hour = (i: number) => Math.floor(i / 12) % 24;

describe("HoltForecaster", () => {
  it("learns a linear trend and forecasts it", () => {
    const tab = new ForecastTables(p);
    const f = new HoltForecaster();
    for (let i = 0; i < 500; i++) f.update(10 + 0.2 * i, at5(i), 1, p, tab, 0.02, 0.002);
    expect(f.trend).toBeCloseTo(0.2 / p.phi, 2);
    // Damped: 12 steps ahead is a little under the straight line 10 + 0.2·511.
    const ahead = f.forecast(12, hour(511), tab);
    expect(ahead).toBeGreaterThan(10 + 0.2 * 511 - 0.5);
    expect(ahead).toBeLessThan(10 + 0.2 * 511 + 0.1);
  });

  it("learns an hour-of-day profile so a daily cycle is not read as trend", () => {
    const tab = new ForecastTables(p);
    const f = new HoltForecaster();
    const at = (i: number) => 50 + 10 * Math.sin((2 * Math.PI * hour(i)) / 24);
    for (let i = 0; i < 288 * 14; i++) f.update(at(i), at5(i), 1, p, tab, 0.02, 0.002);
    expect(Math.abs(f.trend)).toBeLessThan(0.01);
    const i = 288 * 14;
    expect(f.forecast(72, hour(i + 72), tab)).toBeCloseTo(at(i + 72), 0);
  });

  it("treats a gap as several steps", () => {
    const flat = { ...p, phi: 1 };
    const tab = new ForecastTables(flat);
    const a = new HoltForecaster();
    const b = new HoltForecaster();
    for (let i = 0; i < 200; i++) {
      a.update(i, at5(i), 1, flat, tab, 0.02, 0.002);
      if (i < 150 || i === 199) b.update(i, at5(i), i === 199 ? 50 : 1, flat, tab, 0.02, 0.002);
    }
    expect(b.fitted(hour(199))).toBeCloseTo(a.fitted(hour(199)), 0);
  });
});

describe("ForecastTables", () => {
  it("grows the forecast variance with the horizon", () => {
    const t = new ForecastTables(p);
    expect(t.variance[1]).toBe(1);
    expect(t.variance[2]).toBeCloseTo(1 + (p.alpha * (1 + p.beta * p.phi)) ** 2, 12);
    expect(t.variance[96]!).toBeGreaterThan(t.variance[12]!);
    expect(t.damped[1]).toBeCloseTo(p.phi, 12);
  });
});

describe("stepsToReach", () => {
  it("inverts the damped trend", () => {
    const h = stepsToReach(50, 0.5, 95, 0.998);
    const t = new ForecastTables(p);
    expect(50 + 0.5 * t.damped[Math.ceil(h)]!).toBeGreaterThanOrEqual(95);
    expect(50 + 0.5 * t.damped[Math.floor(h)]!).toBeLessThan(95);
    expect(stepsToReach(50, 0, 95, 0.998)).toBe(Number.POSITIVE_INFINITY);
    expect(stepsToReach(96, 0.1, 95, 0.998)).toBe(0);
    expect(stepsToReach(50, 0.01, 95, 0.9)).toBe(Number.POSITIVE_INFINITY);
  });
});
