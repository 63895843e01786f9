import { describe, expect, it } from "vitest";
import { ScoreCalibration } from "./score-calibration.js";

describe("ScoreCalibration", () => {
  it("maps a score to its rarity among the series' own past scores", () => {
    const c = new ScoreCalibration(10, 1e-3);
    for (let i = 0; i < 999; i++) c.update(0.05);
    // 1 prior high score out of 1,000: rarity 1e-3, the floor, so 1.
    expect(c.update(0.95)).toBeCloseTo(1, 6);
    // A score in the bin everything lands in is not rare at all.
    expect(c.update(0.05)).toBeCloseTo(0, 6);
  });

  it("discounts a series that scores high often against one that rarely does", () => {
    const noisy = new ScoreCalibration(20, 1e-3);
    const quiet = new ScoreCalibration(20, 1e-3);
    for (let i = 0; i < 2000; i++) {
      noisy.update(i % 10 === 0 ? 0.9 : 0.1);
      quiet.update(0.1);
    }
    const n = noisy.update(0.9);
    const q = quiet.update(0.9);
    expect(q).toBeGreaterThan(0.9);
    expect(n).toBeLessThan(0.4);
  });
});
