/**
 * Spike-density change: how unlikely the number of spikes (|robust z| above `threshold`) among the last
 * `window` points is under the series' own long-run spike rate (a Poisson tail). It scores only on a
 * spike row, so it fires on the spike that makes the recent density unusual, not on the quiet rows
 * after it. A spiky series (tweets, ad-exchange prices) has a high long-run rate and only a real rise
 * in density scores; a quiet series scores its first spikes. O(window) bytes, O(1) per point except
 * on spike rows (O(count) for the tail).
 */
export class SpikeRate {
  private readonly recent: Uint8Array;
  private pos = 0;
  private count = 0;
  private rate = 0;
  private seen = 0;

  constructor(
    /** |robust z| above which a point is a spike. */
    private readonly threshold: number,
    /** Points over which the recent spikes are counted. */
    private readonly window: number,
    /** EW factor of the long-run spike rate. */
    private readonly longAlpha = 0.001,
  ) {
    this.recent = new Uint8Array(window);
  }

  /** Adds the |robust z| of a point; returns the log-scaled tail in [0,1] (1 at a tail of 1e-10), 0 on a non-spike row. */
  update(absZ: number): number {
    const spike = absZ > this.threshold ? 1 : 0;
    this.count += spike - this.recent[this.pos]!;
    this.recent[this.pos] = spike;
    this.pos = (this.pos + 1) % this.window;
    // Judge against the rate before this point, then learn it.
    const lambda = Math.max(this.rate * this.window, 0.05);
    this.seen++;
    this.rate += Math.max(this.longAlpha, 1 / this.seen) * (spike - this.rate);
    if (spike === 0) return 0;
    return Math.min(1, Math.log(poissonUpperTail(this.count, lambda) + 1e-10) / Math.log(1e-10));
  }
}

/** P(X ≥ k) for X ~ Poisson(lambda). */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  let term = Math.exp(-lambda);
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= lambda / (i + 1);
  }
  return Math.max(1 - below, term);
}
