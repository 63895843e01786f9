/** RRF's smoothing constant (Cormack et al. 2009): ranks past the first few contribute almost evenly. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion of several rankings (best first): score(d) = Σ weight_i / (k + rank_i(d)).
 * Uses ranks only, so rankers with incomparable scores (BM25, cosine) fuse without calibration.
 * Ties keep the order of first appearance in the earlier rankings.
 */
export function reciprocalRankFusion(
  rankings: readonly { ids: readonly string[]; weight?: number }[],
  k = RRF_K,
): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const r of rankings) {
    const w = r.weight ?? 1;
    for (const [i, id] of r.ids.entries()) scores.set(id, (scores.get(id) ?? 0) + w / (k + i + 1));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
