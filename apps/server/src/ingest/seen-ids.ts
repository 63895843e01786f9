/**
 * A Bloom filter of incident keys. "No" is certain, so a new incident skips the database lookup;
 * "maybe" sends the key to the database to be sure. ~10 bits per key of capacity (≈1% false
 * positives); past capacity it only answers "maybe" more often, never wrongly "no".
 */
export class SeenIds {
  private readonly bits: Uint32Array;
  private readonly m: number;
  private readonly hashes = 7;
  private count = 0;

  constructor(
    /** Keys it holds at ~1% false positives; past it, more "maybe" answers. */
    readonly capacity = 1 << 21,
  ) {
    this.bits = new Uint32Array(Math.ceil((capacity * 10) / 32));
    this.m = this.bits.length * 32;
  }

  add(key: string): void {
    const [a, b] = hash(key);
    for (let i = 0; i < this.hashes; i++) {
      const bit = (a + i * b) % this.m;
      this.bits[bit >>> 5] = (this.bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
    this.count++;
  }

  mightContain(key: string): boolean {
    const [a, b] = hash(key);
    for (let i = 0; i < this.hashes; i++) {
      const bit = (a + i * b) % this.m;
      if (((this.bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  get size(): number {
    return this.count;
  }
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Two 32-bit hashes for double hashing (the second odd, so the probes cover the table), from one pass
 * over the key's UTF-16 units: FNV-1a and a multiply-rotate hash, each finalised. A filter only needs
 * spread, not secrecy; an MD5 per call was ~2.5 µs of the request thread per lookup (ADR 0025, round 7).
 */
function hash(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b = (b << 13) | (b >>> 19);
  }
  return [fmix(a), (fmix(b ^ 0x68e31da4) | 1) >>> 0];
}
