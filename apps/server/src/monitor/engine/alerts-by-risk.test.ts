import { describe, expect, it } from "vitest";
import { roundRisk } from "./alert-level.js";
import { alertsByRisk } from "./alerts-by-risk.js";

interface Alert {
  server_name: string;
  risk_score: number;
}
const byComparator = (alerts: Alert[]) => [...alerts].sort((a, b) => b.risk_score - a.risk_score);

/** A deterministic generator (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("alertsByRisk", () => {
  it("orders as the stable comparator sort does: highest risk first, ties in the order given", () => {
    for (const [seed, n, spread] of [
      [1, 8000, 1000],
      [2, 5000, 5], // few distinct scores: long runs of ties
      [3, 3, 1000],
      [4, 1, 1000],
      [5, 0, 1000],
    ] as const) {
      const next = random(seed);
      const alerts = Array.from({ length: n }, (_, i) => ({
        server_name: `s${i}`,
        risk_score: roundRisk(100 - next() * spread * 0.1 - (i % 7 === 0 ? 0 : next() * 0.04)),
      }));
      const sorted = alertsByRisk([...alerts]);
      const expected = byComparator(alerts);
      expect(sorted.length).toBe(n);
      for (let i = 0; i < n; i++) expect(sorted[i]).toBe(expected[i]);
    }
    const edges = [0, 100, 50, 100, 0, 0.1, 99.9, 50].map((risk_score, i) => ({ server_name: `e${i}`, risk_score }));
    expect(alertsByRisk([...edges]).map((a) => a.server_name)).toEqual(byComparator(edges).map((a) => a.server_name));
  });

  it("falls back to the comparator for scores that are not tenths in [0, 100]", () => {
    for (const odd of [Number.NaN, 50.05, 100.1, -0.1, 1e9]) {
      const alerts = [10, odd, 80, 80, 30].map((risk_score, i) => ({ server_name: `s${i}`, risk_score }));
      expect(alertsByRisk([...alerts]).map((a) => a.server_name)).toEqual(
        byComparator(alerts).map((a) => a.server_name),
      );
    }
  });
});
