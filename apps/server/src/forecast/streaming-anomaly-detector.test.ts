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

  it("flags a periodic series whose period breaks far above its normal cycles", () => {
    const wave = (i: number, e: number) => 50 + 20 * Math.sin((2 * Math.PI * i) / 40) + e;
    // From 1500 the period halves for 60 points, then the normal cycle resumes.
    const broken = (i: number, e: number) =>
      i >= 1500 && i < 1560 ? 50 + 20 * Math.sin((2 * Math.PI * i) / 20) + e : wave(i, e);
    const scores = run(series(2000, broken, 3));
    const before = max(scores.slice(800, 1500));
    const during = max(scores.slice(1500, 1560));
    expect(during).toBeGreaterThan(0.6);
    expect(during).toBeGreaterThan(before + 0.2);
  });

  it("is quiet for a refractory period after an output at or above refractoryLevel", () => {
    const spikes = (i: number, e: number) => steady(i, e) + (i === 1600 || i === 1650 ? 60 + (i - 1600) : 0);
    const values = series(2000, spikes, 5);
    const base = { suppressSpan: 0, refractoryLevel: 0.5 };
    const held = run(values, new StreamingAnomalyDetector({ ...base, refractorySpan: 100 }));
    const free = run(values, new StreamingAnomalyDetector({ ...base, refractorySpan: 0 }));
    expect(max(held.slice(1600, 1603))).toBeGreaterThan(0.5);
    expect(max(held.slice(1603, 1700))).toBe(0);
    expect(max(free.slice(1650, 1653))).toBeGreaterThan(0.5);
  });

  it("trusts a young range less: spatialDecay widens the spatial tolerance early in a series", () => {
    const values = [...Array.from({ length: 400 }, (_, i) => i % 11), 10.6];
    const opts = { warmup: 50, spatialTolerance: 0.02, suppressSpan: 0, refractorySpan: 0 };
    const young = run(values, new StreamingAnomalyDetector({ ...opts, spatialDecay: 1000 }));
    const plain = run(values, new StreamingAnomalyDetector({ ...opts, spatialDecay: 0 }));
    expect(plain[400]).toBe(1);
    expect(young[400]).toBeLessThan(1);
  });

  it("with the CUSUM component, flags a small persistent shift that single points do not reveal", () => {
    // Uniform noise of ±1 around 50; from 1500 the level moves up by 1, inside the usual spread of single points.
    const values = series(2000, (i, e) => 50 + 2 * e + (i >= 1500 ? 1 : 0), 11);
    const opts = { cusumSlack: 0.5, cusumHalf: 10, suppressSpan: 0, spatialTolerance: -1, entropyWeight: 0 };
    const withCusum = run(values, new StreamingAnomalyDetector({ ...opts, cusumWeight: 1 }));
    const without = run(values, new StreamingAnomalyDetector({ ...opts, cusumWeight: 0 }));
    expect(max(withCusum.slice(1500, 1600))).toBeGreaterThan(0.85);
    expect(max(without.slice(1500, 1600))).toBeLessThan(0.7);
    expect(max(withCusum.slice(800, 1500))).toBeLessThan(0.7);
  });

  it("with self-calibration, discounts a spike in a series that spikes often", () => {
    const spiky = series(2000, (i, e) => steady(i, e) + (i % 97 === 0 ? 60 : 0), 13);
    const once = series(2000, (i, e) => steady(i, e) + (i === 1843 ? 60 : 0), 13);
    const opts = { suppressSpan: 0, spatialTolerance: -1, calibrationWeight: 1 };
    const often = run(spiky, new StreamingAnomalyDetector(opts));
    const rare = run(once, new StreamingAnomalyDetector(opts));
    expect(rare[1843]).toBeGreaterThan(max(rare.slice(1000, 1843)));
    expect(often[1843]).toBeLessThan((rare[1843] ?? 0) / 2);
  });
});
