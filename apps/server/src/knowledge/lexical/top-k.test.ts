import { describe, expect, it } from "vitest";
import { TopK } from "./top-k.js";

describe("TopK", () => {
  it("keeps the k best, ties to the lower slot", () => {
    const top = new TopK(3);
    const scores = [5, 1, 9, 5, 7, 3, 9];
    scores.forEach((s, slot) => {
      top.push(s, slot);
    });
    expect(top.drain()).toEqual([
      { score: 9, slot: 2 },
      { score: 9, slot: 6 },
      { score: 7, slot: 4 },
    ]);
  });

  it("agrees with a full sort on random input", () => {
    const xs = Array.from({ length: 500 }, (_, i) => ({ score: Math.floor(((i * 7919) % 101) / 3), slot: i }));
    const top = new TopK(25);
    for (const x of xs) top.push(x.score, x.slot);
    const expected = [...xs].sort((a, b) => b.score - a.score || a.slot - b.slot).slice(0, 25);
    expect(top.drain()).toEqual(expected);
  });

  it("tells whether a newcomer would be admitted", () => {
    const top = new TopK(2);
    expect(top.admits(0, 9)).toBe(true);
    top.push(1, 0);
    top.push(4, 1);
    expect(top.admits(1, 5)).toBe(false); // tie loses to the lower slot
    expect(top.admits(1, 0)).toBe(false);
    expect(top.admits(2, 5)).toBe(true);
    expect(new TopK(0).admits(100, 0)).toBe(false);
  });
});
