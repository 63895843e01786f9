/**
 * Novelty of the recent shape, after the adaptive-resonance idea of ARTime: the mean-removed shape of
 * the last `window` block means (blocks of `block` points) is compared with up to `capacity` learnt
 * categories (prototype shapes). The nearest category resonates when it lies within `vigilance` × the
 * series' usual step (EW mean of |x(t) − x(t−1)|) and then learns the shape; otherwise the shape founds
 * a new category (the least recently used one is recycled when all are taken). Distances are mean
 * absolute differences of block means, so r = distance / usual step is unitless: a shape that is only
 * shifted by a point or blurred by noise resonates, one that differs by several steps per block does
 * not. (The scale must not come from the categories themselves: a vigilance relative to the usual
 * nearest distance lets one category absorb everything.)
 *
 * Learning is delayed by one window: the categories learn the window that ended `window × block`
 * points ago, so the current window is only ever judged against shapes it does not overlap. (Learning
 * the current window at once lets each sliding window resonate with the one a point before it, and a
 * new pattern fires only while it is a sliver of the window.)
 *
 * `update` returns the squashed ratio r²/(r² + vigilance²) in [0,1): 0.5 at the vigilance, so
 * a shape unlike every learnt one scores high, a repeating one low. Each point costs
 * O(window × block + capacity × window); memory is fixed (4 × capacity × window bytes of prototypes
 * plus 16 × window × block bytes of recent values).
 */
export class ShapeResonance {
  private readonly span: number;
  private readonly recent: Float64Array;
  private readonly shape: Float64Array;
  private readonly prototypes: Float32Array;
  private readonly uses: Uint32Array;
  private readonly lastUsed: Float64Array;
  private categories = 0;
  private seen = 0;
  private step = 0;
  private prev = 0;

  constructor(
    private readonly window = 8,
    private readonly block = 4,
    private readonly capacity = 32,
    private readonly vigilance = 2,
    private readonly alpha = 0.01,
  ) {
    this.span = window * block;
    this.recent = new Float64Array(2 * this.span);
    this.shape = new Float64Array(window);
    this.prototypes = new Float32Array(capacity * window);
    this.uses = new Uint32Array(capacity);
    this.lastUsed = new Float64Array(capacity);
  }

  /** Learnt categories so far (at most `capacity`). */
  get size(): number {
    return this.categories;
  }

  update(value: number): number {
    if (this.seen > 0) this.step += Math.max(this.alpha, 1 / this.seen) * (Math.abs(value - this.prev) - this.step);
    this.prev = value;
    this.recent[this.seen % this.recent.length] = value;
    this.seen++;
    const unit = this.step + 1e-9 + 1e-6 * Math.abs(value);

    // Score the current window against the categories learnt so far.
    let score = 0;
    if (this.categories > 0) {
      const { distance } = this.nearest(this.shapeEndingAgo(0));
      const r = distance / unit;
      score = (r * r) / (r * r + this.vigilance * this.vigilance);
    }
    // Then learn the window that ended one window ago (it does not overlap the current one).
    if (this.seen >= 2 * this.span) {
      const shape = this.shapeEndingAgo(this.span);
      const { best, distance } = this.nearest(shape);
      if (best >= 0 && distance / unit <= this.vigilance) this.learn(best, shape);
      else this.found(shape);
    }
    return score;
  }

  /** The mean-removed block means (oldest first) of the window that ended `ago` points before now. */
  private shapeEndingAgo(ago: number): Float64Array {
    const n = this.recent.length;
    const first = this.seen - ago - this.span;
    let total = 0;
    for (let j = 0; j < this.window; j++) {
      let sum = 0;
      for (let k = 0; k < this.block; k++) sum += this.recent[(((first + j * this.block + k) % n) + n) % n] ?? 0;
      const m = sum / this.block;
      this.shape[j] = m;
      total += m;
    }
    const level = total / this.window;
    for (let j = 0; j < this.window; j++) this.shape[j] = (this.shape[j] ?? 0) - level;
    return this.shape;
  }

  /** Nearest category by mean absolute difference (best = -1 when there is none). */
  private nearest(shape: Float64Array): { best: number; distance: number } {
    let best = -1;
    let dmin = Number.POSITIVE_INFINITY;
    for (let c = 0; c < this.categories; c++) {
      const base = c * this.window;
      let d = 0;
      for (let j = 0; j < this.window; j++) d += Math.abs((shape[j] ?? 0) - (this.prototypes[base + j] ?? 0));
      if (d < dmin) {
        dmin = d;
        best = c;
      }
    }
    return { best, distance: dmin / this.window };
  }

  /** Resonance: the matched prototype moves towards the shape (fast at first, then at rate 0.1). */
  private learn(c: number, shape: Float64Array): void {
    const n = (this.uses[c] ?? 0) + 1;
    this.uses[c] = n;
    this.lastUsed[c] = this.seen;
    const rate = Math.max(1 / n, 0.1);
    const base = c * this.window;
    for (let j = 0; j < this.window; j++) {
      const p = this.prototypes[base + j] ?? 0;
      this.prototypes[base + j] = p + rate * ((shape[j] ?? 0) - p);
    }
  }

  /** No resonance: the shape founds a category, in a free slot or the least recently used one. */
  private found(shape: Float64Array): void {
    let c = this.categories;
    if (c < this.capacity) this.categories++;
    else {
      c = 0;
      for (let i = 1; i < this.capacity; i++) if ((this.lastUsed[i] ?? 0) < (this.lastUsed[c] ?? 0)) c = i;
    }
    this.uses[c] = 1;
    this.lastUsed[c] = this.seen;
    this.prototypes.set(shape, c * this.window);
  }
}
