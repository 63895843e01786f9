import { createHash } from "node:crypto";

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

  constructor(capacity = 1 << 21) {
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

/** Two 32-bit hashes for double hashing (the second odd, so the probes cover the table). */
function hash(key: string): [number, number] {
  const d = createHash("md5").update(key).digest();
  return [d.readUInt32LE(0), (d.readUInt32LE(4) | 1) >>> 0];
}
