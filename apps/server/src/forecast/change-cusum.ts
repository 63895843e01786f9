/**
 * Two-sided CUSUM (Page's change-point statistic) on robust z residuals: small shifts that persist add
 * up, so a level shift scores before any single point looks extreme. The sums leak by `decay` per point
 * and restart after each alarm the caller reports with `reset`, so one shift does not alarm for its
 * whole length. O(1) state.
 */
export class ChangeCusum {
  private up = 0;
  private down = 0;

  constructor(
    /** Allowance k: z residuals below it only drain the sums. */
    private readonly slack: number,
    /** Sum at which the score reaches 0.5. */
    private readonly half: number,
    private readonly decay = 0.99,
  ) {}

  /** Adds a signed z residual; returns the change score in [0,1). */
  update(z: number): number {
    this.up = Math.max(0, this.up * this.decay + z - this.slack);
    this.down = Math.max(0, this.down * this.decay - z - this.slack);
    const s = Math.max(this.up, this.down);
    return (s * s) / (s * s + this.half * this.half);
  }

  reset(): void {
    this.up = 0;
    this.down = 0;
  }
}
