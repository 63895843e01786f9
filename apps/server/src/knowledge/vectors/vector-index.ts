/** A vector hit: cosine similarity in -1..1. */
export interface VectorHit {
  id: string;
  cosine: number;
}

/**
 * Exact nearest neighbours by brute-force cosine over unit vectors kept in one contiguous
 * Float32Array (cache-friendly; 10,000 × 1,024 dims scans in a few ms). Removal swaps the last row in.
 */
export class VectorIndex {
  private dims = 0;
  private data = new Float32Array(0);
  private ids: string[] = [];
  private readonly rowOf = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  get dimensions(): number {
    return this.dims;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** Add or replace. All vectors of one index share a dimension (set by the first one). */
  set(id: string, vector: ArrayLike<number>): void {
    if (this.ids.length === 0 && this.dims !== vector.length) {
      this.dims = vector.length;
      this.data = new Float32Array(0);
    }
    if (vector.length !== this.dims) {
      throw new Error(`vector of ${vector.length} dimensions in an index of ${this.dims}`);
    }
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.ids.length;
      if ((row + 1) * this.dims > this.data.length) {
        const grown = new Float32Array(Math.max(16, row * 2) * this.dims);
        grown.set(this.data);
        this.data = grown;
      }
      this.ids.push(id);
      this.rowOf.set(id, row);
    }
    const norm = l2(vector) || 1;
    const base = row * this.dims;
    for (let i = 0; i < this.dims; i++) this.data[base + i] = (vector[i] as number) / norm;
  }

  remove(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    const last = this.ids.length - 1;
    if (row !== last) {
      const lastId = this.ids[last] as string;
      this.data.copyWithin(row * this.dims, last * this.dims, (last + 1) * this.dims);
      this.ids[row] = lastId;
      this.rowOf.set(lastId, row);
    }
    this.ids.pop();
    this.rowOf.delete(id);
    return true;
  }

  clear(): void {
    this.ids = [];
    this.rowOf.clear();
    this.data = new Float32Array(0);
    this.dims = 0;
  }

  /** Best `limit` rows by cosine to `query`, optionally filtered; best first. */
  search(query: ArrayLike<number>, limit: number, filter?: (id: string) => boolean): VectorHit[] {
    const n = this.ids.length;
    if (n === 0 || limit <= 0 || query.length !== this.dims) return [];
    const dims = this.dims;
    const norm = l2(query) || 1;
    const q = Float32Array.from(query, (x) => x / norm);
    const data = this.data;
    // Keep the top `limit` in a small sorted array: limit is ≤ a few dozen.
    const top: VectorHit[] = [];
    for (let r = 0; r < n; r++) {
      let dot = 0;
      const base = r * dims;
      for (let i = 0; i < dims; i++) dot += (q[i] as number) * (data[base + i] as number);
      if (top.length === limit && dot <= (top[top.length - 1] as VectorHit).cosine) continue;
      const id = this.ids[r] as string;
      if (filter && !filter(id)) continue;
      let at = top.length;
      while (at > 0 && (top[at - 1] as VectorHit).cosine < dot) at--;
      top.splice(at, 0, { id, cosine: dot });
      if (top.length > limit) top.pop();
    }
    return top;
  }
}

function l2(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  return Math.sqrt(s);
}
