/**
 * BM25F length normalisation per document slot and field: norm = w_f / ((1 - b_f) + b_f · len /
 * avg_f), and the saturation tf~/(tf~ + k1) built from it. Averages are frozen per "epoch" and a
 * new epoch starts only when one drifts by more than `tolerance` (relative), so cached posting
 * saturations stay valid across most writes. Deleted slots have norm 0, so they saturate to 0.
 */
export class FieldNorms {
  /** Bumped whenever the frozen averages change; caches tagged with an older epoch are stale. */
  epoch = 0;
  private normsEpoch = -1;
  private readonly nf: number;
  private readonly epochAvg: Float64Array;
  private readonly totalLen: Float64Array;
  private lens = new Float64Array(0);
  private norms = new Float64Array(0);
  private alive = new Uint8Array(0);
  private slots = 0;
  private live = 0;

  constructor(
    private readonly weights: Float64Array,
    private readonly bs: Float64Array,
    private readonly k1: number,
    private readonly tolerance: number,
  ) {
    this.nf = weights.length;
    this.epochAvg = new Float64Array(this.nf);
    this.totalLen = new Float64Array(this.nf);
    this.ensureCapacity(1024);
  }

  isLive(slot: number): boolean {
    return this.alive[slot] === 1;
  }

  /** True when norms match the current epoch, i.e. saturation() may be called. */
  get fresh(): boolean {
    return this.normsEpoch === this.epoch;
  }

  /** Register a live slot with its field lengths (slots are added in increasing order). */
  add(slot: number, lengths: ArrayLike<number>): void {
    this.ensureCapacity(slot + 1);
    const nf = this.nf;
    for (let f = 0; f < nf; f++) {
      const len = lengths[f] ?? 0;
      this.lens[slot * nf + f] = len;
      this.totalLen[f] = (this.totalLen[f] as number) + len;
    }
    this.alive[slot] = 1;
    this.slots = Math.max(this.slots, slot + 1);
    this.live++;
    this.checkEpoch();
    if (this.fresh) this.computeNorms(slot);
  }

  remove(slot: number): void {
    const nf = this.nf;
    for (let f = 0; f < nf; f++) {
      const i = slot * nf + f;
      this.totalLen[f] = (this.totalLen[f] as number) - (this.lens[i] as number);
      this.lens[i] = 0;
      this.norms[i] = 0;
    }
    this.alive[slot] = 0;
    this.live--;
    this.checkEpoch();
  }

  /** Bring norms up to the current epoch (O(slots × fields)); no-op when fresh. */
  refresh(): void {
    if (this.fresh) return;
    for (let s = 0; s < this.slots; s++) this.computeNorms(s);
    this.normsEpoch = this.epoch;
  }

  /** Saturation of one posting from its per-field tfs (at `base`); requires fresh norms. */
  saturation(tfs: Uint8Array, base: number, slot: number): number {
    const nf = this.nf;
    let tf = 0;
    for (let f = 0; f < nf; f++) {
      const x = tfs[base + f] as number;
      if (x !== 0) tf += x * (this.norms[slot * nf + f] as number);
    }
    return tf > 0 ? tf / (tf + this.k1) : 0;
  }

  /** Move live slots to their new numbers (remap[old] = new, or -1 for dropped slots). */
  compact(remap: Int32Array, slots: number): void {
    const nf = this.nf;
    for (let s = 0; s < this.slots; s++) {
      const to = remap[s] as number;
      if (to < 0 || to === s) continue;
      this.lens.copyWithin(to * nf, s * nf, s * nf + nf);
      this.norms.copyWithin(to * nf, s * nf, s * nf + nf);
      this.alive[to] = 1;
    }
    this.lens.fill(0, slots * nf);
    this.norms.fill(0, slots * nf);
    this.alive.fill(0, slots);
    this.slots = slots;
  }

  clear(): void {
    this.lens.fill(0);
    this.norms.fill(0);
    this.alive.fill(0);
    this.totalLen.fill(0);
    this.epochAvg.fill(0);
    this.slots = 0;
    this.live = 0;
    this.epoch++;
  }

  private ensureCapacity(slots: number): void {
    if (slots <= this.alive.length) return;
    const cap = Math.max(slots, this.alive.length * 2);
    const nf = this.nf;
    const lens = new Float64Array(cap * nf);
    lens.set(this.lens);
    const norms = new Float64Array(cap * nf);
    norms.set(this.norms);
    const alive = new Uint8Array(cap);
    alive.set(this.alive);
    this.lens = lens;
    this.norms = norms;
    this.alive = alive;
  }

  /** Start a new epoch when any field's average length drifted past the tolerance. */
  private checkEpoch(): void {
    const n = Math.max(1, this.live);
    for (let f = 0; f < this.nf; f++) {
      const avg = (this.totalLen[f] as number) / n;
      const was = this.epochAvg[f] as number;
      if (Math.abs(avg - was) > this.tolerance * was || (was === 0 && avg > 0)) {
        for (let g = 0; g < this.nf; g++) this.epochAvg[g] = (this.totalLen[g] as number) / n;
        this.epoch++;
        return;
      }
    }
  }

  private computeNorms(slot: number): void {
    const nf = this.nf;
    const live = this.alive[slot] === 1;
    for (let f = 0; f < nf; f++) {
      const i = slot * nf + f;
      const b = this.bs[f] as number;
      const avg = this.epochAvg[f] as number;
      const slope = avg > 0 ? b / avg : 0;
      this.norms[i] = live ? (this.weights[f] as number) / (1 - b + slope * (this.lens[i] as number)) : 0;
    }
  }
}
