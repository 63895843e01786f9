import { N_GROUPS, N_NUMERIC } from "./risk-features.js";

/** Fields per point: the 8 numeric group values, the held anomaly score, the status code. */
export const WINDOW_STRIDE = N_GROUPS;

/** Points kept at full resolution (2 hours at one record a minute). */
export const RECENT_POINTS = 120;
/** Points aggregated into one block once older than the recent ones (10 minutes at one a minute). */
export const BLOCK_POINTS = 10;

/**
 * Numeric values are kept as log1p(x)·K in 16 bits: error ≤ (1 + x)/2K (0.0001 near 0, 0.005 at 50 %),
 * values up to ~1.1 million (larger ones are clamped). The window only
 * feeds the explanation's focus periods (means and first/last values per period), where this is exact
 * to the digits reported.
 */
const K = 4700;
const MAX_CODE = 65_535;
/** Status codes a block tallies (`STATUSES` in risk-features.ts has 8). */
const N_STATUS = 16;

export function encodeValue(x: number): number {
  if (!(x > 0)) return 0;
  return Math.min(MAX_CODE, Math.round(Math.log1p(x) * K));
}

export function decodeValue(code: number): number {
  return Math.expm1(code / K);
}

/**
 * A ring's columns for `cap` points as views of one ArrayBuffer (times, values, flags, then weights):
 * one buffer per ring instead of four for the collector to track and sweep (ADR 0023, fifth round).
 */
function ringArrays(cap: number, weighted: boolean): [Int32Array, Uint16Array, Uint8Array, Uint8Array | null] {
  const valuesAt = 4 * cap;
  const flagsAt = valuesAt + 2 * N_NUMERIC * cap;
  const weightsAt = flagsAt + 2 * cap;
  const buffer = new ArrayBuffer(weightsAt + (weighted ? cap : 0));
  return [
    new Int32Array(buffer, 0, cap),
    new Uint16Array(buffer, valuesAt, cap * N_NUMERIC),
    new Uint8Array(buffer, flagsAt, cap * 2),
    weighted ? new Uint8Array(buffer, weightsAt, cap) : null,
  ];
}

/**
 * A growable ring of points as struct-of-arrays, 22 bytes a point (time: Int32 seconds from the
 * window's first point; 8 numeric values: Uint16 codes; anomaly in 1/255 steps and status: Uint8),
 * plus a Uint8 weight (points aggregated) when it holds blocks.
 */
class PointRing {
  times: Int32Array;
  values: Uint16Array;
  flags: Uint8Array;
  weights: Uint8Array | null;
  head = 0;
  size = 0;

  constructor(
    readonly maxSize: number,
    initialCapacity: number,
    weighted: boolean,
  ) {
    const cap = Math.max(1, Math.min(maxSize, initialCapacity));
    [this.times, this.values, this.flags, this.weights] = ringArrays(cap, weighted);
  }

  get capacity(): number {
    return this.times.length;
  }

  get bytes(): number {
    return this.times.byteLength + this.values.byteLength + this.flags.byteLength + (this.weights?.byteLength ?? 0);
  }

  /** Appends (growing, or overwriting the oldest once at `maxSize`); returns the slot written. */
  append(): number {
    if (this.size === this.times.length && this.size < this.maxSize) this.grow();
    const i = this.head;
    this.head = (i + 1) % this.times.length;
    if (this.size < this.times.length) this.size++;
    return i;
  }

  /** Drops the oldest point. */
  shift(): void {
    if (this.size > 0) this.size--;
  }

  slot(i: number): number {
    const cap = this.times.length;
    return (this.head - this.size + i + cap) % cap;
  }

  private grow(): void {
    const cap = Math.min(this.maxSize, this.times.length * 2);
    const [times, values, flags, weights] = ringArrays(cap, this.weights !== null);
    // Oldest first: the ring holds at most two runs (from the oldest slot to the buffer's end, then
    // from its start), each copied in one piece — not a view per point (10,000 windows grow in one tick).
    const n = this.size;
    const start = this.slot(0);
    const first = Math.min(n, this.times.length - start);
    const rest = n - first;
    times.set(this.times.subarray(start, start + first), 0);
    times.set(this.times.subarray(0, rest), first);
    values.set(this.values.subarray(start * N_NUMERIC, (start + first) * N_NUMERIC), 0);
    values.set(this.values.subarray(0, rest * N_NUMERIC), first * N_NUMERIC);
    flags.set(this.flags.subarray(2 * start, 2 * (start + first)), 0);
    flags.set(this.flags.subarray(0, 2 * rest), 2 * first);
    if (weights && this.weights) {
      weights.set(this.weights.subarray(start, start + first), 0);
      weights.set(this.weights.subarray(0, rest), first);
    }
    this.times = times;
    this.values = values;
    this.flags = flags;
    this.weights = weights;
    this.head = this.size % cap;
  }
}

/**
 * A server's rolling window of the last `maxSize` points, in two resolutions: the newest
 * `recentPoints` as they came, older ones as blocks of `blockPoints` (their mean values, mean anomaly,
 * most frequent status, first point's time, and how many points they hold; the open block reads
 * as one entry too). At 2,880 points that is
 * 120 points + 276 blocks, ~9 KB instead of ~62 KB at full resolution. Entries read oldest first;
 * `weightAt` says how many points an entry stands for. The window covers at most `maxSize` points
 * (whole blocks are dropped, so briefly up to `blockPoints` fewer). Buffers start small and double
 * on demand; push is O(1) amortised.
 */
export class ServerWindow {
  private readonly recent: PointRing;
  private readonly blocks: PointRing | null;
  private baseSec = Number.NaN;
  private blockPointsHeld = 0;
  /** The block being filled from points leaving `recent`. */
  private readonly acc: Float64Array;
  private readonly accStatus: Uint16Array;
  private accCount = 0;
  private accTime = 0;

  constructor(
    readonly maxSize: number,
    initialCapacity = 64,
    readonly recentPoints = RECENT_POINTS,
    readonly blockPoints = BLOCK_POINTS,
  ) {
    // The open block's sums and status tally share one buffer.
    const acc = new ArrayBuffer(8 * (N_NUMERIC + 1) + 2 * N_STATUS);
    this.acc = new Float64Array(acc, 0, N_NUMERIC + 1);
    this.accStatus = new Uint16Array(acc, 8 * (N_NUMERIC + 1), N_STATUS);
    const tiered = maxSize > recentPoints + 2 * blockPoints && blockPoints > 1 && blockPoints <= 255;
    const recentMax = tiered ? recentPoints : maxSize;
    this.recent = new PointRing(recentMax, initialCapacity, false);
    this.blocks = tiered
      ? new PointRing(Math.floor((maxSize - recentPoints) / blockPoints) + 1, Math.min(16, initialCapacity), true)
      : null;
  }

  /** Entries (points and blocks) held. */
  get length(): number {
    return (this.blocks?.size ?? 0) + (this.accCount > 0 ? 1 : 0) + this.recent.size;
  }

  /** Points the window stands for (blocks count their points). */
  get points(): number {
    return this.blockPointsHeld + this.accCount + this.recent.size;
  }

  get capacity(): number {
    return this.recent.capacity + (this.blocks?.capacity ?? 0);
  }

  /** Bytes held by the buffers. */
  get bytes(): number {
    return this.recent.bytes + (this.blocks?.bytes ?? 0);
  }

  /** Appends a point: `numeric` holds the 8 numeric group values; `anomaly` is in [0, 1]. */
  push(ms: number, numeric: Float64Array, anomaly: number, status: number): void {
    const sec = Math.round(ms / 1000);
    if (Number.isNaN(this.baseSec)) this.baseSec = sec;
    const r = this.recent;
    if (this.blocks && r.size === r.maxSize) this.retireOldest();
    const i = r.append();
    r.times[i] = sec - this.baseSec;
    const o = i * N_NUMERIC;
    for (let k = 0; k < N_NUMERIC; k++) r.values[o + k] = encodeValue(numeric[k]!);
    r.flags[2 * i] = Math.round(Math.min(1, Math.max(0, anomaly)) * 255);
    r.flags[2 * i + 1] = status;
  }

  /** Time (ms, whole seconds) of the i-th oldest entry (a block: its first point's). */
  timeAt(i: number): number {
    const [ring, s] = this.locate(i);
    if (ring === null) return (this.accTime + this.baseSec) * 1000;
    return (ring.times[s]! + this.baseSec) * 1000;
  }

  /** Field `field` (0..WINDOW_STRIDE) of the i-th oldest entry (a block: its mean, or its most frequent status). */
  valueAt(i: number, field: number): number {
    const [ring, s] = this.locate(i);
    if (ring === null) {
      if (field < N_NUMERIC) return decodeValue(encodeValue(this.acc[field]! / this.accCount));
      if (field === N_NUMERIC) return Math.round(this.acc[N_NUMERIC]! / this.accCount) / 255;
      return modeOf(this.accStatus);
    }
    if (field < N_NUMERIC) return decodeValue(ring.values[s * N_NUMERIC + field]!);
    if (field === N_NUMERIC) return ring.flags[2 * s]! / 255;
    return ring.flags[2 * s + 1]!;
  }

  /** Points the i-th oldest entry stands for (1 for a point, up to `blockPoints` for a block). */
  weightAt(i: number): number {
    const [ring, s] = this.locate(i);
    if (ring === null) return this.accCount;
    return ring.weights ? ring.weights[s]! : 1;
  }

  /** The ring and slot of entry i; `null` ring: the block being filled. */
  private locate(i: number): [PointRing | null, number] {
    const b = this.blocks?.size ?? 0;
    if (i < b) return [this.blocks, this.blocks!.slot(i)];
    if (this.accCount > 0) {
      if (i === b) return [null, 0];
      i--;
    }
    return [this.recent, this.recent.slot(i - b)];
  }

  /** Moves the oldest recent point into the open block; a full block joins `blocks`. */
  private retireOldest(): void {
    const r = this.recent;
    const b = this.blocks!;
    // Whole blocks leave from the old end so the window (with the point being pushed) stands for ≤ maxSize points.
    while (b.size > 0 && this.blockPointsHeld + this.accCount + r.size + 1 > this.maxSize) {
      this.blockPointsHeld -= b.weights![b.slot(0)]!;
      b.shift();
    }
    const s = r.slot(0);
    if (this.accCount === 0) this.accTime = r.times[s]!;
    for (let k = 0; k < N_NUMERIC; k++) this.acc[k]! += decodeValue(r.values[s * N_NUMERIC + k]!);
    this.acc[N_NUMERIC]! += r.flags[2 * s]!;
    this.accStatus[r.flags[2 * s + 1]! % N_STATUS]!++;
    this.accCount++;
    r.shift();
    if (this.accCount === this.blockPoints) this.closeBlock();
  }

  private closeBlock(): void {
    const b = this.blocks!;
    if (b.size === b.maxSize) {
      this.blockPointsHeld -= b.weights![b.slot(0)]!;
      b.shift();
    }
    const i = b.append();
    const n = this.accCount;
    b.times[i] = this.accTime;
    for (let k = 0; k < N_NUMERIC; k++) b.values[i * N_NUMERIC + k] = encodeValue(this.acc[k]! / n);
    b.flags[2 * i] = Math.round(this.acc[N_NUMERIC]! / n);
    b.flags[2 * i + 1] = modeOf(this.accStatus);
    b.weights![i] = n;
    this.blockPointsHeld += n;
    this.acc.fill(0);
    this.accStatus.fill(0);
    this.accCount = 0;
  }
}

function modeOf(counts: Uint16Array): number {
  let best = 0;
  for (let k = 1; k < counts.length; k++) if (counts[k]! > counts[best]!) best = k;
  return best;
}
