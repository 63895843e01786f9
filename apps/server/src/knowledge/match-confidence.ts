import { CONFIDENT_RATIO, HIGH_RATIO, type MatchConfidence } from "./lexical/index.js";

/** Calibrated similarity at the lexical "high" cut (ratio 0.4 → ≈0.67); "medium" starts at 0.5. */
export const HIGH_SIMILARITY = 1 - 2 ** (-HIGH_RATIO / CONFIDENT_RATIO);

/** Confidence of a calibrated 0..1 similarity; "low" means: no good match. */
export function confidenceOf(similarity: number): MatchConfidence {
  return similarity >= HIGH_SIMILARITY ? "high" : similarity >= 0.5 ? "medium" : "low";
}
