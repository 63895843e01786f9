/**
 * Distribution change, after NAB's "relative entropy" detector: the histogram of the last `window`
 * values against a slowly decaying long-run histogram, both over the running range. Returns the
 * KL divergence; the caller judges it against its own history (autocorrelated metrics make the
 * textbook χ² approximation far too eager).
 */
export class RelativeEntropy {
  private readonly recentBins: Uint8Array;
  private readonly recent: Float64Array;
  private readonly longRun: Float64Array;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private seen = 0;

  constructor(
    private readonly bins: number,
    private readonly window: number,
    private readonly longAlpha: number,
  ) {
    this.recentBins = new Uint8Array(window);
    this.recent = new Float64Array(bins);
    this.longRun = new Float64Array(bins).fill(1 / bins);
  }

  update(value: number): number {
    this.lo = Math.min(this.lo, value);
    this.hi = Math.max(this.hi, value);
    const span = this.hi - this.lo;
    const b = span > 0 ? Math.min(this.bins - 1, Math.floor(((value - this.lo) / span) * this.bins)) : 0;
    const slot = this.seen % this.window;
    if (this.seen >= this.window) this.recent[this.recentBins[slot] ?? 0]! -= 1;
    this.recentBins[slot] = b;
    this.recent[b]! += 1;
    this.seen++;
    if (this.seen < this.window) return 0;

    // KL(recent ‖ long run) with the long run smoothed so empty bins do not give infinities.
    let kl = 0;
    for (let i = 0; i < this.bins; i++) {
      const p = (this.recent[i] ?? 0) / this.window;
      if (p > 0) kl += p * Math.log(p / Math.max(this.longRun[i] ?? 0, 1e-3));
    }
    // Learn the long run from the value leaving the recent window's front, i.e. the current one.
    const a = this.longAlpha;
    for (let i = 0; i < this.bins; i++) this.longRun[i] = (1 - a) * (this.longRun[i] ?? 0) + (i === b ? a : 0);

    return kl;
  }
}
