/**
 * Approximate range (min, max) of the last `blocks × blockSize` values in O(blocks) memory: values
 * are summarised per block of `blockSize` points and the oldest block is dropped as a new one starts.
 * Used for a "recent range" spatial rule that forgets old extremes (a global range never does).
 */
export class BlockRange {
  private readonly mins: Float64Array;
  private readonly maxs: Float64Array;
  private filled = 0;
  private pos = 0;
  private inBlock = 0;
  private curMin = Number.POSITIVE_INFINITY;
  private curMax = Number.NEGATIVE_INFINITY;

  constructor(
    blocks: number,
    private readonly blockSize: number,
  ) {
    this.mins = new Float64Array(blocks);
    this.maxs = new Float64Array(blocks);
  }

  /** Full blocks seen (the range is meaningful once this reaches a few). */
  get fullBlocks(): number {
    return this.filled;
  }

  /** Min over the stored blocks and the current partial block (before the next value is added). */
  get min(): number {
    let m = this.curMin;
    for (let i = 0; i < this.filled; i++) m = Math.min(m, this.mins[i] ?? m);
    return m;
  }

  get max(): number {
    let m = this.curMax;
    for (let i = 0; i < this.filled; i++) m = Math.max(m, this.maxs[i] ?? m);
    return m;
  }

  add(value: number): void {
    this.curMin = Math.min(this.curMin, value);
    this.curMax = Math.max(this.curMax, value);
    if (++this.inBlock < this.blockSize) return;
    this.mins[this.pos] = this.curMin;
    this.maxs[this.pos] = this.curMax;
    this.pos = (this.pos + 1) % this.mins.length;
    if (this.filled < this.mins.length) this.filled++;
    this.inBlock = 0;
    this.curMin = Number.POSITIVE_INFINITY;
    this.curMax = Number.NEGATIVE_INFINITY;
  }
}
