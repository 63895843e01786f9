import { describe, expect, it } from "vitest";
import { assessMatch, CONFIDENT_RATIO, HIGH_RATIO } from "./similarity.js";

describe("assessMatch", () => {
  it("maps score/bound monotonically into [0,1] with 0.5 at the confidence cut", () => {
    const at = (r: number) => assessMatch({ score: r * 10, bound: 10, coverage: 1 });
    expect(at(0).similarity).toBe(0);
    expect(at(CONFIDENT_RATIO).similarity).toBeCloseTo(0.5);
    expect(at(1).similarity).toBeLessThanOrEqual(1);
    let prev = -1;
    for (let r = 0; r <= 1; r += 0.05) {
      expect(at(r).similarity).toBeGreaterThan(prev);
      prev = at(r).similarity;
    }
  });

  it("classifies confidence by ratio", () => {
    expect(assessMatch({ score: 1, bound: 10, coverage: 0.2 })).toMatchObject({ confidence: "low", confident: false });
    expect(assessMatch({ score: (CONFIDENT_RATIO + HIGH_RATIO) * 5, bound: 10, coverage: 0.5 }).confidence).toBe(
      "medium",
    );
    expect(assessMatch({ score: 9, bound: 10, coverage: 1 })).toMatchObject({ confidence: "high", confident: true });
  });

  it("is safe on degenerate input", () => {
    expect(assessMatch({ score: 5, bound: 0, coverage: 0 }).similarity).toBe(0);
    expect(assessMatch({ score: 20, bound: 10, coverage: 1 }).ratio).toBe(1);
  });
});
