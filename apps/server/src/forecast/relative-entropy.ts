// Layout of the state (doubles from its offset): range, points seen, then the recent window's bin
// counts and the long-run histogram (`bins` each); the recent window's bins are `window` bytes elsewhere.
const LO = 0;
const HI = 1;
const SEEN = 2;
const RECENT = 3;

/** Doubles of the state over `bins` bins. */
export function entropyDoubles(bins: number): number {
  return RECENT + 2 * bins;
}

/** Starts the state at `s[o..]` (its window bytes start at 0). */
export function entropyInit(s: Float64Array, o: number, bins: number): void {
  s[o + LO] = Number.POSITIVE_INFINITY;
  s[o + HI] = Number.NEGATIVE_INFINITY;
  s[o + SEEN] = 0;
  s.fill(0, o + RECENT, o + RECENT + bins);
  s.fill(1 / bins, o + RECENT + bins, o + RECENT + 2 * bins);
}

/**
 * Distribution change, after NAB's "relative entropy" detector: the histogram of the last `window`
 * values against a slowly decaying long-run histogram, both over the running range. Returns the
 * KL divergence; the caller judges it against its own history (autocorrelated metrics make the
 * textbook χ² approximation far too eager). State at `s[o..o + entropyDoubles(bins))`, the window's
 * bins at `recentBins[w..w + window)`.
 */
export function entropyUpdate(
  s: Float64Array,
  o: number,
  recentBins: Uint8Array,
  w: number,
  bins: number,
  window: number,
  longAlpha: number,
  value: number,
): number {
  const lo = Math.min(s[o + LO]!, value);
  const hi = Math.max(s[o + HI]!, value);
  s[o + LO] = lo;
  s[o + HI] = hi;
  const span = hi - lo;
  const b = span > 0 ? Math.min(bins - 1, Math.floor(((value - lo) / span) * bins)) : 0;
  const recent = o + RECENT;
  let seen = s[o + SEEN]!;
  const slot = seen % window;
  if (seen >= window) s[recent + recentBins[w + slot]!]! -= 1;
  recentBins[w + slot] = b;
  s[recent + b]! += 1;
  s[o + SEEN] = ++seen;
  if (seen < window) return 0;

  // KL(recent ‖ long run) with the long run smoothed so empty bins do not give infinities.
  const longRun = recent + bins;
  let kl = 0;
  for (let i = 0; i < bins; i++) {
    const p = s[recent + i]! / window;
    if (p > 0) kl += p * Math.log(p / Math.max(s[longRun + i]!, 1e-3));
  }
  // Learn the long run from the value leaving the recent window's front, i.e. the current one.
  const a = longAlpha;
  for (let i = 0; i < bins; i++) s[longRun + i] = (1 - a) * s[longRun + i]! + (i === b ? a : 0);

  return kl;
}

/** The distribution-change model with buffers of its own (see `entropyUpdate`). */
export class RelativeEntropy {
  private readonly s: Float64Array;
  private readonly recentBins: Uint8Array;

  constructor(
    private readonly bins: number,
    private readonly window: number,
    private readonly longAlpha: number,
  ) {
    this.s = new Float64Array(entropyDoubles(bins));
    this.recentBins = new Uint8Array(window);
    entropyInit(this.s, 0, bins);
  }

  update(value: number): number {
    return entropyUpdate(this.s, 0, this.recentBins, 0, this.bins, this.window, this.longAlpha, value);
  }
}
