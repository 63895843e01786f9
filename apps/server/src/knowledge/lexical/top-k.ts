/**
 * Bounded min-heap keeping the k highest (score, slot) pairs. Ties go to the lower slot, i.e. the
 * earlier-added document, so rankings are deterministic.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly slots: Int32Array;
  private n = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k));
    this.slots = new Int32Array(Math.max(1, k));
  }

  get size(): number {
    return this.n;
  }

  /** Would (score, slot) enter the heap? Lets callers skip costly checks (filters) for losers. */
  admits(score: number, slot: number): boolean {
    if (this.k <= 0) return false;
    if (this.n < this.k) return true;
    return this.better(score, slot, this.scores[0] as number, this.slots[0] as number);
  }

  push(score: number, slot: number): void {
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.better(this.scores[p] as number, this.slots[p] as number, score, slot)) break;
        this.scores[i] = this.scores[p] as number;
        this.slots[i] = this.slots[p] as number;
        i = p;
      }
      this.scores[i] = score;
      this.slots[i] = slot;
      return;
    }
    if (!this.admits(score, slot)) return;
    this.siftDown(score, slot);
  }

  /** Pairs best first. */
  drain(): Array<{ score: number; slot: number }> {
    const out: Array<{ score: number; slot: number }> = [];
    for (let i = 0; i < this.n; i++) out.push({ score: this.scores[i] as number, slot: this.slots[i] as number });
    this.n = 0;
    return out.sort((a, b) => b.score - a.score || a.slot - b.slot);
  }

  private better(sa: number, slotA: number, sb: number, slotB: number): boolean {
    return sa > sb || (sa === sb && slotA < slotB);
  }

  /** Replace the root (current worst) and restore heap order. */
  private siftDown(score: number, slot: number): void {
    let i = 0;
    const n = this.n;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (
        r < n &&
        this.better(
          this.scores[l] as number,
          this.slots[l] as number,
          this.scores[r] as number,
          this.slots[r] as number,
        )
      )
        c = r;
      if (!this.better(score, slot, this.scores[c] as number, this.slots[c] as number)) break;
      this.scores[i] = this.scores[c] as number;
      this.slots[i] = this.slots[c] as number;
      i = c;
    }
    this.scores[i] = score;
    this.slots[i] = slot;
  }
}
