/** Doubles of one EW statistic's state: mean, absolute deviation, count (at `o`, `o + 1`, `o + 2`). */
export const EW_STATS = 3;

/**
 * Adds x to the EW statistic at `s[o..o+2]`: the first points use 1/n weights so the estimate is not
 * biased towards 0. The state lives in the caller's buffer (a detector packs all of its statistics in one).
 */
export function ewUpdate(s: Float64Array, o: number, alpha: number, x: number): void {
  const count = s[o + 2]! + 1;
  s[o + 2] = count;
  const a = Math.max(alpha, 1 / count);
  const mean = s[o]!;
  const dev = Math.abs(x - mean);
  s[o] = mean + a * (x - mean);
  s[o + 1] = s[o + 1]! + a * ((count === 1 ? 0 : dev) - s[o + 1]!);
}

/**
 * Exponentially weighted location and spread of a stream: O(1) state and cost per point.
 * The spread is the EW mean absolute deviation, a cheap robust stand-in for the MAD.
 */
export class EwStats {
  private readonly s = new Float64Array(EW_STATS);

  constructor(readonly alpha: number) {}

  get mean(): number {
    return this.s[0]!;
  }

  get absDev(): number {
    return this.s[1]!;
  }

  get count(): number {
    return this.s[2]!;
  }

  /** Adds x; the first points use 1/n weights so the estimate is not biased towards 0. */
  update(x: number): void {
    ewUpdate(this.s, 0, this.alpha, x);
  }
}
