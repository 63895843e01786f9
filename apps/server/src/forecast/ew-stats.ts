/**
 * Exponentially weighted location and spread of a stream: O(1) state and cost per point.
 * The spread is the EW mean absolute deviation, a cheap robust stand-in for the MAD.
 */
export class EwStats {
  mean = 0;
  absDev = 0;
  count = 0;

  constructor(readonly alpha: number) {}

  /** Adds x; the first points use 1/n weights so the estimate is not biased towards 0. */
  update(x: number): void {
    this.count++;
    const a = Math.max(this.alpha, 1 / this.count);
    const dev = Math.abs(x - this.mean);
    this.mean += a * (x - this.mean);
    this.absDev += a * ((this.count === 1 ? 0 : dev) - this.absDev);
  }
}
