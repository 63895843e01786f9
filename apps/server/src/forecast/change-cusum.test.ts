import { describe, expect, it } from "vitest";
import { ChangeCusum } from "./change-cusum.js";

describe("ChangeCusum", () => {
  it("stays near 0 on residuals within the slack and accumulates a small persistent shift", () => {
    const c = new ChangeCusum(2, 20, 0.99);
    let quiet = 0;
    for (let i = 0; i < 1000; i++) quiet = Math.max(quiet, c.update(i % 2 === 0 ? 1.5 : -1.5));
    expect(quiet).toBe(0);
    // A shift of z = 3 (never extreme on its own) adds about 1 per point: the score rises steadily.
    const rising: number[] = [];
    for (let i = 0; i < 40; i++) rising.push(c.update(3));
    expect(rising[4]).toBeLessThan(0.1);
    expect(rising[39]).toBeGreaterThan(0.5);
    for (let i = 1; i < rising.length; i++) expect(rising[i]).toBeGreaterThan(rising[i - 1] ?? 1);
  });

  it("is two-sided, leaks with the decay and restarts after reset", () => {
    const c = new ChangeCusum(1, 10, 0.9);
    let down = 0;
    for (let i = 0; i < 30; i++) down = c.update(-4);
    // With leak 0.9 the sum approaches 3 / 0.1 = 30 from below: score → 900 / (900 + 100) = 0.9.
    expect(down).toBeGreaterThan(0.88);
    expect(down).toBeLessThan(0.9);
    c.reset();
    expect(c.update(0)).toBe(0);
  });
});
