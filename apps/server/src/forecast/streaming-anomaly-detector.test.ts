import { describe, expect, it } from "vitest";
import { rng } from "../monitor/engine/synthetic-fleet.js";
import { StreamingAnomalyDetector } from "./streaming-anomaly-detector.js";

function series(n: number, at: (i: number, noise: number) => number, seed = 1): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => at(i, r() - 0.5));
}

function run(values: number[], d = new StreamingAnomalyDetector()): number[] {
  const t0 = Date.UTC(2026, 0, 1);
  return values.map((v, i) => d.update(new Date(t0 + i * 300_000), v));
}

const max = (xs: number[]) => xs.reduce((m, x) => Math.max(m, x), 0);

describe("StreamingAnomalyDetector", () => {
  const steady = (i: number, e: number) => 50 + 10 * Math.sin((2 * Math.PI * i) / 288) + 2 * e;

  it("scores a level shift far above steady noise", () => {
    const scores = run(series(2000, (i, e) => steady(i, e) + (i >= 1500 ? 40 : 0)));
    expect(max(scores.slice(1500, 1520))).toBeGreaterThan(0.5);
    expect(max(scores.slice(1500, 1520))).toBeGreaterThan(2 * max(scores.slice(1200, 1500)));
  });

  it("scores a single spike far above steady noise", () => {
    const scores = run(series(2000, (i, e) => steady(i, e) + (i === 1600 ? 60 : 0)));
    expect(max(scores.slice(1600, 1605))).toBeGreaterThan(0.5);
    expect(max(scores.slice(1300, 1600))).toBeLessThan(0.5);
  });

  it("outputs 0 during warm-up, even for wild values", () => {
    const d = new StreamingAnomalyDetector({ warmup: 150 });
    const scores = run(
      series(150, (i, e) => (i % 37 === 0 ? 1e6 : e)),
      d,
    );
    expect(max(scores)).toBe(0);
    expect(d.warmingUp).toBe(true);
    d.update(new Date(), 1);
    expect(d.warmingUp).toBe(false);
  });

  it("fires once per burst: a repeated spike right after the first one is held", () => {
    const scores = run(series(2000, (i, e) => steady(i, e) + (i === 1600 || i === 1620 ? 60 : 0)));
    expect(max(scores.slice(1600, 1605))).toBeGreaterThan(0.5);
    expect(max(scores.slice(1606, 1700))).toBe(0);
  });

  it("keeps scores in [0,1] for flat, huge, tiny and non-finite input", () => {
    const values = series(3000, (i, e) => {
      if (i < 500) return 7;
      if (i < 1000) return i % 100 === 0 ? 1e12 : e * 1e-9;
      if (i === 1500) return Number.NaN;
      return i % 250 === 0 ? -1e9 : e;
    });
    for (const s of run(values)) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });

  it("is deterministic", () => {
    const values = series(1500, (i, e) => steady(i, e) + (i > 1000 ? 20 : 0), 7);
    expect(run(values)).toEqual(run(values));
  });
});
