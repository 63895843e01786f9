import { N_GROUPS } from "./risk-features.js";

/** Values stored per point: the 8 numeric groups, the held anomaly score, the status code. */
export const WINDOW_STRIDE = N_GROUPS;

/**
 * A server's rolling window: the last `maxSize` points as struct-of-arrays ring buffers
 * (Float64 times, Float32 values; 44 bytes a point, ~127 KB at 2,880 points). Capacity starts
 * small and doubles up to `maxSize`, so a fleet of short-lived servers does not pre-allocate
 * full windows. Push is O(1) amortised; the oldest point is overwritten once full.
 */
export class ServerWindow {
  private times: Float64Array;
  private values: Float32Array;
  private head = 0;
  private size = 0;

  constructor(
    readonly maxSize: number,
    initialCapacity = 64,
  ) {
    const cap = Math.max(1, Math.min(maxSize, initialCapacity));
    this.times = new Float64Array(cap);
    this.values = new Float32Array(cap * WINDOW_STRIDE);
  }

  get length(): number {
    return this.size;
  }

  get capacity(): number {
    return this.times.length;
  }

  /** Appends a point: `numeric` holds the 8 numeric group values. */
  push(ms: number, numeric: Float64Array, anomaly: number, status: number): void {
    if (this.size === this.times.length && this.size < this.maxSize) this.grow();
    const cap = this.times.length;
    const i = this.head;
    this.times[i] = ms;
    const o = i * WINDOW_STRIDE;
    for (let k = 0; k < numeric.length; k++) this.values[o + k] = numeric[k]!;
    this.values[o + WINDOW_STRIDE - 2] = anomaly;
    this.values[o + WINDOW_STRIDE - 1] = status;
    this.head = (i + 1) % cap;
    if (this.size < cap) this.size++;
  }

  /** Time of the i-th oldest point (0 ≤ i < length). */
  timeAt(i: number): number {
    return this.times[this.slot(i)]!;
  }

  /** Field `field` (0..WINDOW_STRIDE) of the i-th oldest point. */
  valueAt(i: number, field: number): number {
    return this.values[this.slot(i) * WINDOW_STRIDE + field]!;
  }

  private slot(i: number): number {
    const cap = this.times.length;
    return (this.head - this.size + i + cap) % cap;
  }

  private grow(): void {
    const cap = Math.min(this.maxSize, this.times.length * 2);
    const times = new Float64Array(cap);
    const values = new Float32Array(cap * WINDOW_STRIDE);
    for (let i = 0; i < this.size; i++) {
      const s = this.slot(i);
      times[i] = this.times[s]!;
      values.set(this.values.subarray(s * WINDOW_STRIDE, (s + 1) * WINDOW_STRIDE), i * WINDOW_STRIDE);
    }
    this.times = times;
    this.values = values;
    this.head = this.size % cap;
  }
}
