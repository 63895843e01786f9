import { describe, expect, it } from "vitest";
import { exactShapley } from "./shapley.js";

describe("exactShapley", () => {
  it("splits a symmetric game equally and gives dummies nothing", () => {
    // Players 0 and 1 are symmetric; player 2 never changes the value (dummy).
    const v = (m: number) => ((m & 1 ? 1 : 0) + (m & 2 ? 1 : 0)) ** 2;
    const r = exactShapley(3, v);
    expect(r.values[0]).toBeCloseTo(r.values[1]!, 12);
    expect(r.values[2]).toBeCloseTo(0, 12);
    expect(r.values[0]! + r.values[1]! + r.values[2]!).toBeCloseTo(r.full - r.empty, 12);
  });

  it("is efficient on an arbitrary 10-player game", () => {
    const w = Array.from({ length: 10 }, (_, i) => Math.sin(i + 1) * 7);
    const v = (m: number) => {
      let s = 0;
      for (let i = 0; i < 10; i++) if (m & (1 << i)) s += w[i]!;
      return 100 * (1 - Math.exp(-Math.abs(s) / 10)) + (m & 3 ? 5 : 0);
    };
    const r = exactShapley(10, v);
    const sum = r.values.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(r.full - r.empty, 10);
  });

  it("matches the textbook glove game", () => {
    // One left glove (player 0), two right gloves (1, 2): a pair is worth 1. φ = (2/3, 1/6, 1/6).
    const v = (m: number) => (m & 1 && m & 6 ? 1 : 0);
    const r = exactShapley(3, v);
    expect(Array.from(r.values)).toEqual([
      expect.closeTo(2 / 3, 12),
      expect.closeTo(1 / 6, 12),
      expect.closeTo(1 / 6, 12),
    ]);
  });
});
