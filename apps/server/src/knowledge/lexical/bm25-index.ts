import { FieldNorms } from "./field-norms.js";
import { defaultOpsVocabulary, type OpsVocabulary, type WeightedTerm } from "./ops-vocabulary.js";
import { appendPosting, findPosting, MAX_TF, newPostings, type Postings } from "./postings.js";
import { QueryScorer, type ScoreUnit } from "./query-scorer.js";
import { assessMatch, type MatchAssessment } from "./similarity.js";
import { type Analyzer, analyze, type QueryAnalyzer, tokenize } from "./tokenize.js";

/** One indexed field: how to read it from a document and how much it counts. */
export interface FieldSpec<T> {
  name: string;
  /** Multiplies this field's term frequencies (BM25F). Default 1. */
  weight?: number;
  /** Length normalisation for this field, 0..1. Default 0.75. */
  b?: number;
  value: (doc: T) => string | readonly string[] | null | undefined;
}

export interface Bm25Options<T> {
  fields: readonly FieldSpec<T>[];
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  analyzer?: Analyzer;
  /**
   * Analyser for queries, may boost terms (the default boosts whole identifiers). Defaults to
   * the built-in analyzer, or to `analyzer` without boosts when a custom one is given.
   */
  queryAnalyzer?: QueryAnalyzer;
  /** Query expansion; null disables it. Default: the ops vocabulary. */
  vocabulary?: OpsVocabulary | null;
  /** Share of a synonym group's non-best members that still counts (dis-max tie). Default 0.2. */
  groupTie?: number;
  /**
   * Expansion terms found in more than this share of documents are skipped (once they are in
   * more than 1,000): they barely move rankings yet have the longest posting lists. Default 0.2.
   */
  maxExpansionDocShare?: number;
  /** Compact postings once this share of slots are deleted. Default 0.25. */
  compactRatio?: number;
  /**
   * Relative drift of a field's average length before saturations are recomputed. Default 0.01;
   * 0 makes scores exact after every change at the cost of re-saturating lists more often.
   */
  avgLengthTolerance?: number;
}

export interface SearchOptions<T> {
  /** Default 10. */
  limit?: number;
  /** Only documents passing this are returned; asked lazily, only for would-be top hits. */
  filter?: (doc: T, id: string) => boolean;
  /** Use query expansion (when the index has a vocabulary). Default true. */
  expand?: boolean;
}

export interface SearchHit<T> extends MatchAssessment {
  id: string;
  /** Raw BM25F score (comparable only within one query; use ratio/similarity across queries). */
  score: number;
  doc: T;
  /** Analysed query terms found in the document; original terms first, then expansions. */
  matchedTerms: string[];
}

/** A query as text, or already analysed and weighted by the caller. */
export type Query = string | readonly WeightedTerm[];

/** Posting lists shorter than this are cheap to score whatever the term. */
const MIN_PRUNED_DF = 1000;

interface UsedTerm {
  term: string;
  id: number;
  idf: number;
  weight: number;
  expanded: boolean;
}

/**
 * In-memory BM25F index over documents of type T. Incremental: add/update/remove touch only the
 * document's own postings and the running field-length totals; deletes are tombstoned (their
 * saturations zeroed) and swept once they exceed `compactRatio`.
 *
 * Each posting caches its saturated term weight, computed against an "epoch" of average field
 * lengths; the epoch only moves when an average drifts by more than `avgLengthTolerance`, and
 * posting lists are re-saturated lazily when a query next reads them. So search is a multiply-add
 * per posting into a dense accumulator (see QueryScorer).
 */
export class Bm25Index<T> {
  private readonly fields: readonly FieldSpec<T>[];
  private readonly nf: number;
  private readonly k1: number;
  private readonly analyzer: Analyzer;
  private readonly queryAnalyzer: QueryAnalyzer;
  private readonly vocabulary: OpsVocabulary | null;
  private readonly groupTie: number;
  private readonly maxExpansionDocShare: number;
  private readonly compactRatio: number;

  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  private postings: Postings[] = [];
  private df = new Int32Array(1024);

  private readonly slotOf = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  private docs: (T | undefined)[] = [];
  /** Sorted term ids per slot: for df upkeep on removal and for matchedTerms. */
  private docTerms: (Int32Array | undefined)[] = [];
  private readonly norms: FieldNorms;
  private slots = 0;
  private live = 0;
  private readonly scorer = new QueryScorer();
  /** Scratch for insert: term → row in scratchTf, and per-field lengths. */
  private readonly localTerms = new Map<string, number>();
  private scratchTf = new Uint8Array(1024);
  private readonly scratchLens: Float64Array;

  constructor(options: Bm25Options<T>) {
    if (options.fields.length === 0) throw new Error("Bm25Index needs at least one field");
    this.fields = options.fields;
    this.nf = options.fields.length;
    this.k1 = options.k1 ?? 1.2;
    this.analyzer = options.analyzer ?? tokenize;
    const custom = options.analyzer;
    this.queryAnalyzer = options.queryAnalyzer ?? (custom ? (text) => custom(text).map((term) => ({ term })) : analyze);
    this.vocabulary = options.vocabulary === undefined ? defaultOpsVocabulary : options.vocabulary;
    this.groupTie = options.groupTie ?? 0.2;
    this.maxExpansionDocShare = options.maxExpansionDocShare ?? 0.2;
    this.compactRatio = options.compactRatio ?? 0.25;
    this.norms = new FieldNorms(
      Float64Array.from(options.fields, (f) => f.weight ?? 1),
      Float64Array.from(options.fields, (f) => f.b ?? 0.75),
      this.k1,
      options.avgLengthTolerance ?? 0.01,
    );
    this.scratchLens = new Float64Array(this.nf);
  }

  get size(): number {
    return this.live;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  get(id: string): T | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.docs[slot];
  }

  /** The indexed documents, in no particular order. */
  *documents(): IterableIterator<T> {
    for (const id of this.slotOf.values()) yield this.docs[id] as T;
  }

  /** Index a new document. Throws if the id is already present (use update to replace). */
  add(id: string, doc: T): void {
    if (this.slotOf.has(id)) throw new Error(`document ${id} is already indexed`);
    this.insert(id, doc);
  }

  /** Replace (or add) a document. */
  update(id: string, doc: T): void {
    this.remove(id);
    this.insert(id, doc);
  }

  /** Remove a document; false when it wasn't indexed. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    for (const t of this.docTerms[slot] as Int32Array) {
      this.df[t] = (this.df[t] as number) - 1;
      const p = this.postings[t] as Postings;
      const i = findPosting(p, slot);
      if (i >= 0) p.sat[i] = 0; // scorers skip zero saturation: no liveness check per posting
    }
    this.norms.remove(slot);
    this.ids[slot] = undefined;
    this.docs[slot] = undefined;
    this.docTerms[slot] = undefined;
    this.live--;
    if (this.slots - this.live > Math.max(64, this.compactRatio * this.slots)) this.compact();
    return true;
  }

  clear(): void {
    this.termIds.clear();
    this.terms.length = 0;
    this.postings = [];
    this.df = new Int32Array(1024);
    this.slotOf.clear();
    this.ids = [];
    this.docs = [];
    this.docTerms = [];
    this.norms.clear();
    this.slots = 0;
    this.live = 0;
  }

  /** Counts for monitoring and benchmarks. */
  stats(): { docs: number; slots: number; terms: number; postings: number } {
    let postings = 0;
    for (const p of this.postings) postings += p.length;
    return { docs: this.live, slots: this.slots, terms: this.terms.length, postings };
  }

  /** Analyse (and expand) a query the way search does; useful for highlighting and debugging. */
  queryTerms(query: Query, expand = true): WeightedTerm[] {
    if (typeof query !== "string") return [...query];
    const tokens = this.queryAnalyzer(query);
    const terms = tokens.map((t) => t.term);
    const boosts = new Map<string, number>();
    for (const t of tokens) if (t.boost !== undefined) boosts.set(t.term, Math.max(t.boost, boosts.get(t.term) ?? 1));
    if (expand && this.vocabulary) return this.vocabulary.expand(terms, boosts);
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts].map(([term, n]) => ({
      term,
      weight: (1 + Math.log(n)) * (boosts.get(term) ?? 1),
      expanded: false,
    }));
  }

  /** BM25 inverse document frequency (always > 0); unseen terms get the maximum. */
  idf(term: string): number {
    const id = this.termIds.get(term);
    return bm25Idf(this.live, id === undefined ? 0 : (this.df[id] as number));
  }

  search(query: Query, options: SearchOptions<T> = {}): SearchHit<T>[] {
    const limit = options.limit ?? 10;
    const qterms = this.queryTerms(query, options.expand ?? true);
    if (limit <= 0 || qterms.length === 0 || this.live === 0) return [];

    const cf = this.k1 + 1;
    let bound = 0; // a document saturating every original term would score this
    let queryMass = 0;
    const used: UsedTerm[] = [];
    const units: ScoreUnit[] = [];
    const groups = new Map<string, ScoreUnit & { members: { postings: Postings; c: number }[] }>();
    for (const q of qterms) {
      const id = this.termIds.get(q.term);
      const df = id === undefined ? 0 : (this.df[id] as number);
      const idf = bm25Idf(this.live, df);
      if (!q.expanded) {
        bound += q.weight * idf * cf;
        queryMass += q.weight * idf;
      }
      if (id === undefined || df === 0 || q.weight <= 0) continue;
      // A synonym found in a large share of documents discriminates little and costs the most.
      if (q.expanded && df > MIN_PRUNED_DF && df > this.maxExpansionDocShare * this.live) continue;
      used.push({ term: q.term, id, idf, weight: q.weight, expanded: q.expanded });
      const member = { postings: this.saturated(id), c: q.weight * idf * cf };
      if (q.group === undefined) {
        units.push({ members: [member], tie: 0 });
        continue;
      }
      // A synonym group counts as one concept: its best member plus a small bonus for the others.
      const g = groups.get(q.group);
      if (g) g.members.push(member);
      else {
        const unit = { members: [member], tie: this.groupTie };
        groups.set(q.group, unit);
        units.push(unit);
      }
    }

    this.scorer.ensureCapacity(this.slots);
    const filter = options.filter;
    const top = this.scorer.run(units, {
      limit,
      admit: filter ? (slot) => filter(this.docs[slot] as T, this.ids[slot] as string) : undefined,
    });

    return top.map(({ score, slot }) => {
      const dt = this.docTerms[slot] as Int32Array;
      const matched = used.filter((u) => binaryHas(dt, u.id));
      const matchedMass = matched.reduce((m, u) => (u.expanded ? m : m + u.weight * u.idf), 0);
      matched.sort((a, b) => Number(a.expanded) - Number(b.expanded) || b.idf * b.weight - a.idf * a.weight);
      return {
        id: this.ids[slot] as string,
        score,
        doc: this.docs[slot] as T,
        matchedTerms: matched.map((u) => u.term),
        ...assessMatch({ score, bound, coverage: queryMass > 0 ? matchedMass / queryMass : 0 }),
      };
    });
  }

  /** Drop tombstoned slots and renumber the survivors (order-preserving). O(total postings). */
  compact(): void {
    const nf = this.nf;
    const remap = new Int32Array(this.slots).fill(-1);
    let next = 0;
    for (let s = 0; s < this.slots; s++) {
      if (!this.norms.isLive(s)) continue;
      remap[s] = next;
      if (next !== s) {
        this.ids[next] = this.ids[s];
        this.docs[next] = this.docs[s];
        this.docTerms[next] = this.docTerms[s];
        this.slotOf.set(this.ids[s] as string, next);
      }
      next++;
    }
    this.ids.length = next;
    this.docs.length = next;
    this.docTerms.length = next;
    this.norms.compact(remap, next);
    this.slots = next;

    for (const p of this.postings) {
      let w = 0;
      for (let i = 0; i < p.length; i++) {
        const d = remap[p.docs[i] as number] as number;
        if (d < 0) continue;
        p.docs[w] = d;
        p.sat[w] = p.sat[i] as number;
        if (w !== i) p.tfs.copyWithin(w * nf, i * nf, i * nf + nf);
        w++;
      }
      p.length = w;
    }
  }

  /** The term's postings with saturations valid for the current epoch (re-saturated if stale). */
  private saturated(termId: number): Postings {
    const p = this.postings[termId] as Postings;
    const norms = this.norms;
    if (p.epoch === norms.epoch) return p;
    norms.refresh();
    const nf = this.nf;
    for (let i = 0; i < p.length; i++) p.sat[i] = norms.saturation(p.tfs, i * nf, p.docs[i] as number);
    p.epoch = norms.epoch;
    return p;
  }

  private insert(id: string, doc: T): void {
    const nf = this.nf;
    const slot = this.slots++;
    const lens = this.scratchLens;
    lens.fill(0);

    // Per-field term frequencies of this document, in a reused flat buffer (local term × field).
    const local = this.localTerms;
    local.clear();
    let tf = this.scratchTf;
    for (let f = 0; f < nf; f++) {
      const raw = (this.fields[f] as FieldSpec<T>).value(doc);
      if (raw === null || raw === undefined) continue;
      const texts = typeof raw === "string" ? [raw] : raw;
      let len = 0;
      for (const text of texts) {
        for (const term of this.analyzer(text)) {
          len++;
          let li = local.get(term);
          if (li === undefined) {
            li = local.size;
            local.set(term, li);
            if ((li + 1) * nf > tf.length) {
              tf = grow(tf, tf.length * 2);
              this.scratchTf = tf;
            }
            tf.fill(0, li * nf, li * nf + nf);
          }
          const at = li * nf + f;
          if ((tf[at] as number) < MAX_TF) tf[at] = (tf[at] as number) + 1;
        }
      }
      lens[f] = len;
    }

    this.slotOf.set(id, slot);
    this.ids[slot] = id;
    this.docs[slot] = doc;
    this.live++;
    const norms = this.norms;
    norms.add(slot, lens);

    const termList = new Int32Array(local.size);
    let k = 0;
    const fresh = norms.fresh;
    for (const [term, li] of local) {
      const tid = this.termId(term);
      termList[k++] = tid;
      this.df[tid] = (this.df[tid] as number) + 1;
      const p = this.postings[tid] as Postings;
      // A current list stays current if this posting is saturated with the same norms; a stale
      // one is re-saturated wholesale on its next read, so don't bother computing now.
      const current = fresh && p.epoch === norms.epoch;
      appendPosting(p, slot, tf, li * nf, nf, current ? norms.saturation(tf, li * nf, slot) : 0);
      if (!current) p.epoch = -1;
    }
    termList.sort();
    this.docTerms[slot] = termList;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id !== undefined) return id;
    id = this.terms.length;
    this.termIds.set(term, id);
    this.terms.push(term);
    this.postings.push(newPostings(this.nf, -1));
    if (id >= this.df.length) this.df = grow(this.df, this.df.length * 2);
    return id;
  }
}

const bm25Idf = (n: number, df: number): number => Math.log(1 + (n - df + 0.5) / (df + 0.5));

function grow<A extends Int32Array | Uint8Array>(a: A, size: number): A {
  const b = new (a.constructor as new (n: number) => A)(size);
  b.set(a);
  return b;
}

function binaryHas(sorted: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as number;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
