import { gaussianTail } from "./gaussian-tail.js";

/**
 * Numenta-style anomaly likelihood: how unusual the recent average of raw errors (in [0,1]) is
 * against their long-run distribution. A single large error in a noisy series scores little; a run
 * of errors in a quiet one scores high. Returns log-scaled likelihood in [0,1] (0.5 ≈ tail 1e-5).
 */
export class AnomalyLikelihood {
  private readonly recent: Float64Array;
  private pos = 0;
  private filled = 0;
  private recentSum = 0;
  private mean = 0;
  private sq = 0;
  private n = 0;

  constructor(
    shortWindow: number,
    private readonly longAlpha: number,
    private readonly sdFloor = 1e-3,
  ) {
    this.recent = new Float64Array(shortWindow);
  }

  update(error: number): number {
    const old = this.recent[this.pos] ?? 0;
    this.recent[this.pos] = error;
    this.pos = (this.pos + 1) % this.recent.length;
    this.recentSum += error - (this.filled === this.recent.length ? old : 0);
    if (this.filled < this.recent.length) this.filled++;
    const shortMean = this.recentSum / this.filled;

    // Score against the distribution *before* this point, then learn it.
    const variance = Math.max(this.sq - this.mean * this.mean, 0);
    // Numenta bounds the spread from below too, so a very quiet stream does not alarm on tiny errors.
    const sd = Math.max(Math.sqrt(variance), this.sdFloor);
    const tail = this.n < 2 ? 0.5 : gaussianTail((shortMean - this.mean) / sd);

    this.n++;
    const a = Math.max(this.longAlpha, 1 / this.n);
    this.mean += a * (shortMean - this.mean);
    this.sq += a * (shortMean * shortMean - this.sq);

    return Math.min(1, Math.log(tail + 1e-10) / Math.log(1e-10));
  }
}
