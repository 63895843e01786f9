/**
 * Per-series self-calibration of a score in [0,1]: a histogram of this series' own past scores
 * (including the warm-up points, which NAB does not score) turns a score into its rarity, the share
 * of past scores at least as high, log-scaled so that `floor` gives 1. A series that scores high all
 * the time is discounted; a quiet one is trusted. Fixed memory: one counter per bin.
 */
export class ScoreCalibration {
  private readonly counts: Float64Array;
  private n = 0;

  constructor(
    private readonly bins: number,
    private readonly floor: number,
    /** Pseudo-count of a score of 1 already seen, so the first high scores are not infinitely rare. */
    private readonly prior = 1,
  ) {
    this.counts = new Float64Array(bins);
  }

  /** Rarity of `score` against the scores seen before it, in [0,1]; then learns the score. */
  update(score: number): number {
    const b = Math.max(0, Math.min(this.bins - 1, Math.floor(score * this.bins)));
    let above = this.prior;
    for (let i = b; i < this.bins; i++) above += this.counts[i] ?? 0;
    const p = above / (this.n + this.prior);
    this.counts[b] = (this.counts[b] ?? 0) + 1;
    this.n++;
    return Math.min(1, Math.log(Math.min(1, p)) / Math.log(this.floor));
  }
}
