import { describe, expect, it } from "vitest";
import { AnomalyLikelihood } from "./anomaly-likelihood.js";
import { ContextNovelty } from "./context-novelty.js";
import { DailyProfile } from "./daily-profile.js";
import { gaussianTail } from "./gaussian-tail.js";
import { RelativeEntropy } from "./relative-entropy.js";

describe("gaussianTail", () => {
  it("matches known normal tail values", () => {
    expect(gaussianTail(0)).toBeCloseTo(0.5, 6);
    expect(gaussianTail(1.959964)).toBeCloseTo(0.025, 5);
    expect(gaussianTail(-1.959964)).toBeCloseTo(0.975, 5);
    expect(gaussianTail(5)).toBeLessThan(1e-6);
  });
});

describe("AnomalyLikelihood", () => {
  it("is low for the usual error level and high for a sustained jump in errors", () => {
    const l = new AnomalyLikelihood(5, 0.01);
    let usual = 0;
    for (let i = 0; i < 500; i++) usual = Math.max(usual, l.update(i % 2 === 0 ? 0.1 : 0.2));
    let jump = 0;
    for (let i = 0; i < 5; i++) jump = Math.max(jump, l.update(0.9));
    expect(usual).toBeLessThan(0.2);
    expect(jump).toBeGreaterThan(0.8);
  });
});

describe("ContextNovelty", () => {
  it("learns a repeating pattern and flags a new shape", () => {
    const n = new ContextNovelty(10, 3);
    const pattern = [0, 3, 6, 9, 6, 3];
    let late = 0;
    for (let i = 0; i < 600; i++) {
      const s = n.update(pattern[i % pattern.length] ?? 0);
      if (i > 300) late = Math.max(late, s);
    }
    expect(late).toBeLessThan(0.01);
    expect(n.update(9)).toBeGreaterThan(0.9); // 9 after 0 never happened
  });

  it("flags a value outside the range seen so far", () => {
    const n = new ContextNovelty(10, 3);
    for (let i = 0; i < 100; i++) n.update(i % 10);
    expect(n.update(20)).toBe(1);
  });
});

describe("RelativeEntropy", () => {
  it("grows when the recent distribution moves away from the long run", () => {
    const e = new RelativeEntropy(5, 50, 0.002);
    let steady = 0;
    for (let i = 0; i < 2000; i++) steady = e.update(i % 10);
    let shifted = 0;
    for (let i = 0; i < 50; i++) shifted = e.update(9);
    expect(shifted).toBeGreaterThan(steady + 0.5);
  });
});

describe("DailyProfile", () => {
  it("returns the change against the same time yesterday once a day is known", () => {
    const d = new DailyProfile();
    const t0 = Date.UTC(2026, 0, 1);
    const out: (number | undefined)[] = [];
    for (let i = 0; i < 48 + 2; i++) out.push(d.update(new Date(t0 + i * 3_600_000), i < 48 ? i % 24 : 100));
    expect(out[10]).toBeUndefined();
    expect(out[30]).toBe(0);
    expect(out[48]).toBe(100);
  });
});

describe("ContextNovelty.updateLevel", () => {
  it("learns a repeating sequence of caller levels, flags a new one and clamps out-of-range levels", () => {
    const n = new ContextNovelty(10, 3, 3);
    let late = 0;
    for (let i = 0; i < 300; i++) {
      const s = n.updateLevel([2, 5, 8][i % 3] ?? 0);
      if (i > 100) late = Math.max(late, s);
    }
    expect(late).toBeLessThan(0.001);
    expect(n.updateLevel(42)).toBe(1); // clamped to 9: "…, 5, 8, 9" never happened
    expect(n.updateLevel(-3)).toBe(1);
  });
});
