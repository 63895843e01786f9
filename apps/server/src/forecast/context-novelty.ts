// Layout of a novelty model's state (doubles from its offset); its counters are `levels^order` bytes elsewhere.
const LO = 0;
const HI = 1;
const KEY = 2;
const SEEN = 3;
/** Doubles of a novelty model's state. */
export const NOVELTY_DOUBLES = 4;

/** Fixed parameters of a novelty model (one object shared by every model with the same ones). */
export interface NoveltyShape {
  levels: number;
  order: number;
  power: number;
  /** levels^order: contexts, i.e. counter bytes. */
  modulo: number;
}

export function noveltyShape(levels: number, order: number, power = 2): NoveltyShape {
  return { levels, order, power, modulo: levels ** order };
}

/** Starts a novelty model's state at `s[o..]` (its counter bytes start at 0). */
export function noveltyInit(s: Float64Array, o: number): void {
  s[o + LO] = Number.POSITIVE_INFINITY;
  s[o + HI] = Number.NEGATIVE_INFINITY;
  s[o + KEY] = 0;
  s[o + SEEN] = 0;
}

/**
 * Novelty of the recent shape, after CAD OSE / ARTime (the strongest NAB detectors): values are
 * quantised into a few levels of the running range, the last `order` levels form a context, and a
 * context never seen before is novel. Fixed memory: one saturating byte counter per context
 * (`counts[c..c + modulo)`), the state at `s[o..o + NOVELTY_DOUBLES)`.
 * Returns a novelty in [0,1]: 1 for an unseen context or a value outside the range seen so far.
 */
export function noveltyUpdate(
  s: Float64Array,
  o: number,
  counts: Uint8Array,
  c: number,
  shape: NoveltyShape,
  value: number,
): number {
  const seen = s[o + SEEN]! + 1;
  s[o + SEEN] = seen;
  let lo = s[o + LO]!;
  let hi = s[o + HI]!;
  const range = hi - lo;
  let outside = 0;
  if (seen > 1) {
    const excess = Math.max(value - hi, lo - value, 0);
    outside = excess > 0 ? Math.min(1, range > 0 ? 0.5 + excess / range : 1) : 0;
  }
  lo = Math.min(lo, value);
  hi = Math.max(hi, value);
  s[o + LO] = lo;
  s[o + HI] = hi;
  const span = hi - lo;
  const levels = shape.levels;
  const q = span > 0 ? Math.min(levels - 1, Math.floor(((value - lo) / span) * levels)) : 0;
  return Math.max(outside, context(s, o, counts, c, shape, seen, q));
}

/** Same, for a level the caller quantised itself (0..levels-1, clamped): the novelty of the context. */
export function noveltyUpdateLevel(
  s: Float64Array,
  o: number,
  counts: Uint8Array,
  c: number,
  shape: NoveltyShape,
  level: number,
): number {
  const seen = s[o + SEEN]! + 1;
  s[o + SEEN] = seen;
  return context(s, o, counts, c, shape, seen, Math.max(0, Math.min(shape.levels - 1, Math.floor(level))));
}

function context(
  s: Float64Array,
  o: number,
  counts: Uint8Array,
  c: number,
  shape: NoveltyShape,
  seen: number,
  q: number,
): number {
  const key = (s[o + KEY]! * shape.levels + q) % shape.modulo;
  s[o + KEY] = key;
  if (seen < shape.order) return 0;
  const n = counts[c + key]!;
  if (n < 255) counts[c + key] = n + 1;
  return 1 / (1 + n) ** shape.power;
}

/** The novelty model with buffers of its own (see `noveltyUpdate`). */
export class ContextNovelty {
  private readonly shape: NoveltyShape;
  private readonly s = new Float64Array(NOVELTY_DOUBLES);
  private readonly counts: Uint8Array;

  constructor(levels: number, order: number, power = 2) {
    this.shape = noveltyShape(levels, order, power);
    this.counts = new Uint8Array(this.shape.modulo);
    noveltyInit(this.s, 0);
  }

  /** Returns a novelty in [0,1]: 1 for an unseen context or a value outside the range seen so far. */
  update(value: number): number {
    return noveltyUpdate(this.s, 0, this.counts, 0, this.shape, value);
  }

  /** Same, for a level the caller quantised itself (0..levels-1, clamped): the novelty of the context. */
  updateLevel(level: number): number {
    return noveltyUpdateLevel(this.s, 0, this.counts, 0, this.shape, level);
  }
}
