/**
 * Growable posting list: ascending doc slots, per-field term frequencies (stride = field count)
 * and, per posting, the saturated BM25F term weight tf~/(tf~ + k1). The saturation depends on
 * average field lengths, so it is tagged with the `epoch` of the averages it was computed for
 * and recomputed lazily when the index moves to a new epoch.
 */
export interface Postings {
  docs: Int32Array;
  tfs: Uint8Array;
  sat: Float32Array;
  length: number;
  epoch: number;
}

/** Per-field frequencies saturate here; BM25 has long stopped caring by then. */
export const MAX_TF = 255;

export const newPostings = (nf: number, epoch: number): Postings => ({
  docs: new Int32Array(2),
  tfs: new Uint8Array(2 * nf),
  sat: new Float32Array(2),
  length: 0,
  epoch,
});

/** Append one posting (its tfs read from `tfs` at `from`); slots only increase, keeping the list sorted. */
export function appendPosting(p: Postings, slot: number, tfs: Uint8Array, from: number, nf: number, sat: number): void {
  if (p.length === p.docs.length) {
    const cap = p.docs.length * 2;
    const docs = new Int32Array(cap);
    docs.set(p.docs);
    const t = new Uint8Array(cap * nf);
    t.set(p.tfs);
    const s = new Float32Array(cap);
    s.set(p.sat);
    p.docs = docs;
    p.tfs = t;
    p.sat = s;
  }
  p.docs[p.length] = slot;
  const at = p.length * nf;
  for (let f = 0; f < nf; f++) p.tfs[at + f] = tfs[from + f] as number;
  p.sat[p.length] = sat;
  p.length++;
}

/** Index of `slot` in the list, or -1. */
export function findPosting(p: Postings, slot: number): number {
  const i = gallop(p.docs, p.length, 0, slot);
  return i < p.length && p.docs[i] === slot ? i : -1;
}

/** First index ≥ from whose slot is ≥ target (exponential then binary search); length if none. */
export function gallop(docs: Int32Array, length: number, from: number, target: number): number {
  if (from >= length || (docs[from] as number) >= target) return from;
  let lo = from;
  let step = 1;
  let hi = from + step;
  while (hi < length && (docs[hi] as number) < target) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > length) hi = length;
  // invariant: docs[lo] < target, and docs[hi] >= target or hi === length
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((docs[mid] as number) < target) lo = mid;
    else hi = mid;
  }
  return hi;
}
