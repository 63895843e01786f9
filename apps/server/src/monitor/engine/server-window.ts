import { N_GROUPS, N_NUMERIC } from "./risk-features.js";

/** Fields per point: the 8 numeric group values, the held anomaly score, the status code. */
export const WINDOW_STRIDE = N_GROUPS;

/**
 * Numeric values are kept as log1p(x)·K in 16 bits: error ≤ (1 + x)/2K (0.0001 near 0, 0.005 at 50 %),
 * values up to ~1.1 million (larger ones are clamped). The window only
 * feeds the explanation's focus periods (means and first/last values per period), where this is exact
 * to the digits reported.
 */
const K = 4700;
const MAX_CODE = 65_535;

export function encodeValue(x: number): number {
  if (!(x > 0)) return 0;
  return Math.min(MAX_CODE, Math.round(Math.log1p(x) * K));
}

export function decodeValue(code: number): number {
  return Math.expm1(code / K);
}

/**
 * A server's rolling window: the last `maxSize` points as struct-of-arrays ring buffers, 22 bytes a
 * point (time: Int32 seconds from the server's first point; 8 numeric values: Uint16 codes; anomaly
 * score in 1/255 steps and status code: Uint8), ~62 KB at 2,880 points. Capacity starts small and
 * doubles up to `maxSize`, so a fleet of short-lived servers does not pre-allocate full windows.
 * Push is O(1) amortised; the oldest point is overwritten once full.
 */
export class ServerWindow {
  private times: Int32Array;
  private values: Uint16Array;
  private flags: Uint8Array;
  private baseSec = Number.NaN;
  private head = 0;
  private size = 0;

  constructor(
    readonly maxSize: number,
    initialCapacity = 64,
  ) {
    const cap = Math.max(1, Math.min(maxSize, initialCapacity));
    this.times = new Int32Array(cap);
    this.values = new Uint16Array(cap * N_NUMERIC);
    this.flags = new Uint8Array(cap * 2);
  }

  get length(): number {
    return this.size;
  }

  get capacity(): number {
    return this.times.length;
  }

  /** Bytes held by the buffers. */
  get bytes(): number {
    return this.times.byteLength + this.values.byteLength + this.flags.byteLength;
  }

  /** Appends a point: `numeric` holds the 8 numeric group values; `anomaly` is in [0, 1]. */
  push(ms: number, numeric: Float64Array, anomaly: number, status: number): void {
    if (this.size === this.times.length && this.size < this.maxSize) this.grow();
    const sec = Math.round(ms / 1000);
    if (Number.isNaN(this.baseSec)) this.baseSec = sec;
    const cap = this.times.length;
    const i = this.head;
    this.times[i] = sec - this.baseSec;
    const o = i * N_NUMERIC;
    for (let k = 0; k < N_NUMERIC; k++) this.values[o + k] = encodeValue(numeric[k]!);
    this.flags[2 * i] = Math.round(Math.min(1, Math.max(0, anomaly)) * 255);
    this.flags[2 * i + 1] = status;
    this.head = (i + 1) % cap;
    if (this.size < cap) this.size++;
  }

  /** Time (ms, whole seconds) of the i-th oldest point (0 ≤ i < length). */
  timeAt(i: number): number {
    return (this.times[this.slot(i)]! + this.baseSec) * 1000;
  }

  /** Field `field` (0..WINDOW_STRIDE) of the i-th oldest point. */
  valueAt(i: number, field: number): number {
    const s = this.slot(i);
    if (field < N_NUMERIC) return decodeValue(this.values[s * N_NUMERIC + field]!);
    if (field === N_NUMERIC) return this.flags[2 * s]! / 255;
    return this.flags[2 * s + 1]!;
  }

  private slot(i: number): number {
    const cap = this.times.length;
    return (this.head - this.size + i + cap) % cap;
  }

  private grow(): void {
    const cap = Math.min(this.maxSize, this.times.length * 2);
    const times = new Int32Array(cap);
    const values = new Uint16Array(cap * N_NUMERIC);
    const flags = new Uint8Array(cap * 2);
    for (let i = 0; i < this.size; i++) {
      const s = this.slot(i);
      times[i] = this.times[s]!;
      values.set(this.values.subarray(s * N_NUMERIC, (s + 1) * N_NUMERIC), i * N_NUMERIC);
      flags[2 * i] = this.flags[2 * s]!;
      flags[2 * i + 1] = this.flags[2 * s + 1]!;
    }
    this.times = times;
    this.values = values;
    this.flags = flags;
    this.head = this.size % cap;
  }
}
