import type { Postings } from "./postings.js";
import { TopK } from "./top-k.js";

/** One query term's postings (saturation up to date) and its factor c = weight × idf × (k1 + 1). */
export interface UnitMember {
  postings: Postings;
  c: number;
}

/**
 * What is scored as one: a single term, or a synonym group scored dis-max style (its best
 * member plus `tie` × the others), so many weak synonyms of one idea can't pile up.
 */
export interface ScoreUnit {
  members: readonly UnitMember[];
  tie: number;
}

export interface ScoredSlot {
  score: number;
  slot: number;
}

export interface ScoringContext {
  limit: number;
  /** Optional predicate on slots; asked lazily (only for would-be top hits), once per slot. */
  admit?: (slot: number) => boolean;
}

/**
 * Term-at-a-time top-k scoring into a dense accumulator: one multiply-add per posting, then a
 * bounded heap over the touched documents. (MaxScore-style pruning was tried and measured: with
 * ops vocabularies most queries touch most documents, and its bookkeeping cost more at p99 than
 * it saved.) Reuses its buffers across queries; not re-entrant.
 */
export class QueryScorer {
  private acc = new Float64Array(0);
  private touched = new Int32Array(0);
  private best = new Float64Array(0);
  private sum = new Float64Array(0);
  private groupTouched = new Int32Array(0);

  ensureCapacity(slots: number): void {
    if (slots <= this.acc.length) return;
    const cap = Math.max(slots, this.acc.length * 2, 1024);
    this.acc = new Float64Array(cap);
    this.touched = new Int32Array(cap);
    this.best = new Float64Array(cap);
    this.sum = new Float64Array(cap);
    this.groupTouched = new Int32Array(cap);
  }

  run(units: readonly ScoreUnit[], ctx: ScoringContext): ScoredSlot[] {
    let nt = 0;
    for (const u of units)
      nt = u.members.length === 1 ? this.addTerm(u.members[0] as UnitMember, nt) : this.addGroup(u, nt);
    const acc = this.acc;
    const touched = this.touched;
    const top = new TopK(ctx.limit);
    for (let i = 0; i < nt; i++) {
      const d = touched[i] as number;
      const s = acc[d] as number;
      acc[d] = 0;
      if (top.admits(s, d) && (!ctx.admit || ctx.admit(d))) top.push(s, d);
    }
    return top.drain();
  }

  private addTerm(m: UnitMember, ntIn: number): number {
    let nt = ntIn;
    const acc = this.acc;
    const touched = this.touched;
    const { docs, sat, length } = m.postings;
    const c = m.c;
    for (let i = 0; i < length; i++) {
      const x = sat[i] as number;
      if (x === 0) continue; // deleted
      const d = docs[i] as number;
      const cur = acc[d] as number;
      if (cur === 0) touched[nt++] = d;
      acc[d] = cur + c * x;
    }
    return nt;
  }

  /** Per document keep the group's best member score and the sum, then fold in once. */
  private addGroup(u: ScoreUnit, ntIn: number): number {
    let nt = ntIn;
    const best = this.best;
    const sum = this.sum;
    const gt = this.groupTouched;
    let gn = 0;
    for (const m of u.members) {
      const { docs, sat, length } = m.postings;
      const c = m.c;
      for (let i = 0; i < length; i++) {
        const x = sat[i] as number;
        if (x === 0) continue;
        const d = docs[i] as number;
        const s = c * x;
        const cur = sum[d] as number;
        if (cur === 0) gt[gn++] = d;
        sum[d] = cur + s;
        if (s > (best[d] as number)) best[d] = s;
      }
    }
    const acc = this.acc;
    const touched = this.touched;
    for (let i = 0; i < gn; i++) {
      const d = gt[i] as number;
      const b = best[d] as number;
      const v = b + u.tie * ((sum[d] as number) - b);
      best[d] = 0;
      sum[d] = 0;
      const cur = acc[d] as number;
      if (cur === 0) touched[nt++] = d;
      acc[d] = cur + v;
    }
    return nt;
  }
}
