import { gaussianTail } from "./gaussian-tail.js";

// Layout of a likelihood's state (doubles from its offset), then the short window's errors.
const POS = 0;
const FILLED = 1;
const RECENT_SUM = 2;
const MEAN = 3;
const SQ = 4;
const N = 5;
const RECENT = 6;

/** Doubles of a likelihood's state over a short window of `shortWindow` errors. */
export function likelihoodDoubles(shortWindow: number): number {
  return RECENT + shortWindow;
}

/**
 * Numenta-style anomaly likelihood, its state at `s[o..o + likelihoodDoubles(window))` (all zero to
 * start): how unusual the recent average of raw errors (in [0,1]) is against their long-run
 * distribution. A single large error in a noisy series scores little; a run of errors in a quiet one
 * scores high. Returns log-scaled likelihood in [0,1] (0.5 ≈ tail 1e-5).
 */
export function likelihoodUpdate(
  s: Float64Array,
  o: number,
  window: number,
  longAlpha: number,
  sdFloor: number,
  error: number,
): number {
  const pos = s[o + POS]!;
  const old = s[o + RECENT + pos]!;
  s[o + RECENT + pos] = error;
  s[o + POS] = (pos + 1) % window;
  let filled = s[o + FILLED]!;
  const recentSum = s[o + RECENT_SUM]! + (error - (filled === window ? old : 0));
  s[o + RECENT_SUM] = recentSum;
  if (filled < window) s[o + FILLED] = ++filled;
  const shortMean = recentSum / filled;

  // Score against the distribution *before* this point, then learn it.
  let mean = s[o + MEAN]!;
  let sq = s[o + SQ]!;
  const variance = Math.max(sq - mean * mean, 0);
  // Numenta bounds the spread from below too, so a very quiet stream does not alarm on tiny errors.
  const sd = Math.max(Math.sqrt(variance), sdFloor);
  const n = s[o + N]!;
  const tail = n < 2 ? 0.5 : gaussianTail((shortMean - mean) / sd);

  s[o + N] = n + 1;
  const a = Math.max(longAlpha, 1 / (n + 1));
  mean += a * (shortMean - mean);
  sq += a * (shortMean * shortMean - sq);
  s[o + MEAN] = mean;
  s[o + SQ] = sq;

  return Math.min(1, Math.log(tail + 1e-10) / Math.log(1e-10));
}

/** The likelihood with a buffer of its own (see `likelihoodUpdate`). */
export class AnomalyLikelihood {
  private readonly s: Float64Array;

  constructor(
    private readonly shortWindow: number,
    private readonly longAlpha: number,
    private readonly sdFloor = 1e-3,
  ) {
    this.s = new Float64Array(likelihoodDoubles(shortWindow));
  }

  update(error: number): number {
    return likelihoodUpdate(this.s, 0, this.shortWindow, this.longAlpha, this.sdFloor, error);
  }
}
