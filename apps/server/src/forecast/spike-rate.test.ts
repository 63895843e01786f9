import { describe, expect, it } from "vitest";
import { poissonUpperTail, SpikeRate } from "./spike-rate.js";

/** Feeds |z| values; a spike (|z| = 6) every `every` points, 1 otherwise. Returns the scores. */
function feed(m: SpikeRate, n: number, every: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) out.push(m.update(i % every === 0 ? 6 : 1));
  return out;
}

describe("poissonUpperTail", () => {
  it("is P(X >= k) for a Poisson variable", () => {
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    // P(X >= 3 | 1) = 1 - e^-1 (1 + 1 + 1/2)
    expect(poissonUpperTail(3, 1)).toBeCloseTo(1 - Math.exp(-1) * 2.5, 12);
    // Far in the tail the floor is P(X = k), not a cancelled 0.
    expect(poissonUpperTail(40, 0.05)).toBeGreaterThan(0);
  });
});

describe("SpikeRate", () => {
  it("scores 0 on rows that are not spikes", () => {
    const m = new SpikeRate(4, 150);
    expect(feed(m, 2000, 1_000_000).every((x) => x === 0)).toBe(true);
  });

  it("scores a steady spike density low once learnt, and a rise in density high", () => {
    const m = new SpikeRate(4, 150);
    // One spike every 100 points for 6,000 points: the rate is learnt.
    const steady = feed(m, 6000, 100);
    expect(Math.max(...steady.slice(3000))).toBeLessThan(0.1);
    // Then one every 10 points: the count in 150 points climbs far above the usual 1.5, so the later
    // spikes of the denser run score far higher than its first (up to a tail of about 1e-6).
    const dense = feed(m, 150, 10).filter((x) => x > 0);
    expect(dense).toHaveLength(15);
    expect(dense[0]!).toBeLessThan(0.1);
    expect(dense[13]!).toBeGreaterThan(0.5);
  });

  it("scores the first spikes of a quiet series higher than the same spikes in a spiky one", () => {
    const quiet = new SpikeRate(4, 150);
    const spiky = new SpikeRate(4, 150);
    feed(quiet, 3000, 1_000_000);
    feed(spiky, 3000, 20);
    const q = feed(quiet, 100, 20).filter((x) => x > 0);
    const s = feed(spiky, 100, 20).filter((x) => x > 0);
    // Five spikes in 100 points: news for the quiet series, its usual density for the spiky one.
    expect(q).toHaveLength(5);
    expect(s).toHaveLength(5);
    expect(q[4]!).toBeGreaterThan(0.3);
    expect(s[4]!).toBeLessThan(0.1);
  });
});
