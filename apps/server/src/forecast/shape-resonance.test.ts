import { describe, expect, it } from "vitest";
import { ShapeResonance } from "./shape-resonance.js";

/** Deterministic noise in [-0.5, 0.5) (a small LCG), so the tests do not depend on Math.random. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

const max = (xs: number[]) => xs.reduce((m, x) => Math.max(m, x), 0);

describe("ShapeResonance", () => {
  it("learns a stable repeating pattern: after a few periods its shapes score low", () => {
    const m = new ShapeResonance(8, 4, 32, 2);
    const e = noise(1);
    const scores: number[] = [];
    for (let i = 0; i < 4000; i++) scores.push(m.update(50 + 10 * Math.sin((2 * Math.PI * i) / 96) + 0.5 * e()));
    // The last 1,000 points repeat shapes learnt long before: nothing near the vigilance (score 0.5).
    expect(max(scores.slice(3000))).toBeLessThan(0.5);
    expect(m.size).toBeGreaterThan(1);
    expect(m.size).toBeLessThanOrEqual(32);
  });

  it("scores a shape change inside the usual range high at the change, then learns it", () => {
    const m = new ShapeResonance(8, 4, 32, 2);
    const e = noise(2);
    const scores: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const period = i >= 3000 ? 24 : 96; // four times faster, same amplitude and level
      scores.push(m.update(50 + 10 * Math.sin((2 * Math.PI * i) / period) + 0.5 * e()));
    }
    const before = max(scores.slice(2000, 3000));
    const atChange = max(scores.slice(3000, 3100));
    expect(atChange).toBeGreaterThan(0.8);
    expect(atChange).toBeGreaterThan(before + 0.3);
    // Once the new pattern has repeated for a while it resonates with the categories it founded.
    expect(max(scores.slice(3800))).toBeLessThan(atChange);
  });

  it("is scale-free: the same series in other units scores the same", () => {
    const a = new ShapeResonance();
    const b = new ShapeResonance();
    const e = noise(3);
    for (let i = 0; i < 1500; i++) {
      const v = 5 + Math.sin(i / 9) + (i > 1200 ? 0.8 * Math.sin(i / 2) : 0) + 0.1 * e();
      expect(b.update(1000 * v)).toBeCloseTo(a.update(v), 6);
    }
  });

  it("recycles the least recently used category when all are taken (memory stays fixed)", () => {
    // Eight different periods in turn found far more than 4 categories; only 4 are kept.
    const periods = [96, 24, 12, 48, 200, 8, 64, 16];
    const small = new ShapeResonance(8, 4, 4, 2);
    const large = new ShapeResonance(8, 4, 32, 2);
    for (let i = 0; i < 2400; i++) {
      const v = Math.sin((2 * Math.PI * i) / (periods[Math.floor(i / 300)] ?? 1));
      small.update(v);
      large.update(v);
    }
    expect(small.size).toBe(4);
    expect(large.size).toBe(32);
  });

  it("scores 0 until it has learnt a first category from a window that ended a window ago", () => {
    const m = new ShapeResonance(8, 4);
    const out: number[] = [];
    for (let i = 0; i < 64; i++) out.push(m.update(i % 3));
    expect(max(out)).toBe(0);
    expect(m.size).toBe(1);
    expect(m.update(5)).toBeGreaterThan(0);
  });
});
