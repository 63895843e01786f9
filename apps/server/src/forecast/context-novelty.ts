/**
 * Novelty of the recent shape, after CAD OSE / ARTime (the strongest NAB detectors): values are
 * quantised into a few levels of the running range, the last `order` levels form a context, and a
 * context never seen before is novel. Fixed memory: one saturating byte counter per context.
 */
export class ContextNovelty {
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private key = 0;
  private seen = 0;
  private readonly counts: Uint8Array;
  private readonly modulo: number;

  constructor(
    private readonly levels: number,
    private readonly order: number,
    private readonly power = 2,
  ) {
    this.modulo = levels ** order;
    this.counts = new Uint8Array(this.modulo);
  }

  /** Returns a novelty in [0,1]: 1 for an unseen context or a value outside the range seen so far. */
  update(value: number): number {
    this.seen++;
    const range = this.hi - this.lo;
    let outside = 0;
    if (this.seen > 1) {
      const excess = Math.max(value - this.hi, this.lo - value, 0);
      outside = excess > 0 ? Math.min(1, range > 0 ? 0.5 + excess / range : 1) : 0;
    }
    this.lo = Math.min(this.lo, value);
    this.hi = Math.max(this.hi, value);
    const span = this.hi - this.lo;
    const q = span > 0 ? Math.min(this.levels - 1, Math.floor(((value - this.lo) / span) * this.levels)) : 0;
    return Math.max(outside, this.context(q));
  }

  /** Same, for a level the caller quantised itself (0..levels-1, clamped): the novelty of the context. */
  updateLevel(level: number): number {
    this.seen++;
    return this.context(Math.max(0, Math.min(this.levels - 1, Math.floor(level))));
  }

  private context(q: number): number {
    this.key = (this.key * this.levels + q) % this.modulo;
    if (this.seen < this.order) return 0;
    const c = this.counts[this.key] ?? 0;
    if (c < 255) this.counts[this.key] = c + 1;
    return 1 / (1 + c) ** this.power;
  }
}
