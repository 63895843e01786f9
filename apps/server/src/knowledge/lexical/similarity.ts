/** Inputs from one search: the hit's raw score, the query's self-score bound, matched idf share. */
export interface MatchEvidence {
  score: number;
  /** Σ over the query's original terms of weight × idf × (k1 + 1): no document can score more. */
  bound: number;
  coverage: number;
}

/** "low" means: no good match, don't present this as the answer. */
export type MatchConfidence = "high" | "medium" | "low";

export interface MatchAssessment {
  /** score / bound, in 0..1 and comparable across queries. */
  ratio: number;
  /** Calibrated 0..1 score for display (`similarity_score`); 0.5 sits at the confidence cut. */
  similarity: number;
  /** Share of the query's idf mass (original terms) that the document contains. */
  coverage: number;
  confidence: MatchConfidence;
  /** confidence !== "low" */
  confident: boolean;
}

/**
 * Ratio cut-offs. A document that matches the query's distinctive terms in its title lands near
 * 0.4–0.7; unrelated documents sharing generic words stay under 0.2. Set on the runbook alerts
 * (those with a runbook vs those without) and checked on held-out alerts and reworded queries.
 */
export const CONFIDENT_RATIO = 0.25;
export const HIGH_RATIO = 0.4;

/** Turns a raw score into the normalised, calibrated view callers show and threshold on. */
export function assessMatch(e: MatchEvidence): MatchAssessment {
  const ratio = e.bound > 0 ? Math.min(1, Math.max(0, e.score / e.bound)) : 0;
  // Monotone, saturating map with similarity(CONFIDENT_RATIO) = 0.5.
  const similarity = 1 - 2 ** (-ratio / CONFIDENT_RATIO);
  const confidence: MatchConfidence = ratio >= HIGH_RATIO ? "high" : ratio >= CONFIDENT_RATIO ? "medium" : "low";
  return { ratio, similarity, coverage: e.coverage, confidence, confident: confidence !== "low" };
}
