import { describe, expect, it } from "vitest";
import { reciprocalRankFusion } from "./reciprocal-rank-fusion.js";
import { VectorIndex } from "./vector-index.js";

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

describe("VectorIndex", () => {
  it("returns the exact cosine top-k through adds, replaces and removes", () => {
    const rand = rng(11);
    const vec = () => Array.from({ length: 8 }, rand);
    const idx = new VectorIndex();
    const live = new Map<string, number[]>();
    for (let step = 0; step < 400; step++) {
      const id = `d${Math.floor((rand() + 0.5) * 60)}`;
      if (rand() < 0.25) expect(idx.remove(id)).toBe(live.delete(id));
      else {
        const v = vec();
        idx.set(id, v);
        live.set(id, v);
      }
    }
    expect(idx.size).toBe(live.size);
    const cos = (a: number[], b: number[]) =>
      a.reduce((s, x, i) => s + x * (b[i] as number), 0) / (Math.hypot(...a) * Math.hypot(...b));
    for (let k = 0; k < 10; k++) {
      const q = vec();
      const want = [...live].map(([id, v]) => ({ id, c: cos(q, v) })).sort((a, b) => b.c - a.c);
      const got = idx.search(q, 5);
      expect(got.map((h) => h.id)).toEqual(want.slice(0, 5).map((w) => w.id));
      for (const [i, h] of got.entries()) expect(h.cosine).toBeCloseTo(want[i]?.c ?? 0, 5);
      const even = idx.search(q, 3, (id) => Number(id.slice(1)) % 2 === 0);
      expect(even.map((h) => h.id)).toEqual(
        want
          .filter((w) => Number(w.id.slice(1)) % 2 === 0)
          .slice(0, 3)
          .map((w) => w.id),
      );
    }
  });

  it("refuses a vector of another dimension and answers nothing for a mismatched query", () => {
    const idx = new VectorIndex();
    idx.set("a", [1, 0, 0]);
    expect(() => idx.set("b", [1, 0])).toThrow(/dimensions/);
    expect(idx.search([1, 0], 3)).toEqual([]);
    idx.remove("a");
    idx.set("c", [0, 1]); // an empty index takes the new dimension
    expect(idx.search([0, 2], 1)).toEqual([{ id: "c", cosine: 1 }]);
  });
});

describe("reciprocalRankFusion", () => {
  it("rewards documents ranked well by both, keeping first-seen order on ties", () => {
    const fused = reciprocalRankFusion([{ ids: ["a", "b", "c"] }, { ids: ["c", "b", "d"] }]);
    // c (ranks 3 and 1) edges out b (2 and 2); both beat documents only one ranker found.
    expect(fused.map((f) => f.id)).toEqual(["c", "b", "a", "d"]);
    expect(fused[0]?.score).toBeCloseTo(1 / 63 + 1 / 61, 10);
    expect(reciprocalRankFusion([{ ids: ["x", "y"] }, { ids: ["y", "x"] }]).map((f) => f.id)).toEqual(["x", "y"]);
  });
});
