import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { ConflictError, NotFoundError } from "../../shared/errors.js";
import type { Database } from "../../store/database.js";
import type { RunbookFields, RunbookRow, RunbookStore } from "../../store/runbook-store.js";
import { type Bm25Index, highlight, type MatchConfidence } from "../lexical/index.js";
import { confidenceOf } from "../match-confidence.js";
import { reciprocalRankFusion } from "../vectors/reciprocal-rank-fusion.js";
import type { VectorRetrieval } from "../vectors/vector-retrieval.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { embeddingText, newRunbookIndex } from "./runbook-index.js";

/** A runbook as a client writes it (id optional on create). */
export interface RunbookDraft {
  id?: string | undefined;
  title: string;
  service: string;
  body: string;
  url?: string | null | undefined;
  tags?: string[] | undefined;
}

export interface RunbookQuery {
  query: string;
  /** Only runbooks of this service (case-insensitive). */
  service?: string | undefined;
  topK: number;
}

export interface RunbookHit {
  runbook: RunbookRow;
  /** Calibrated 0..1, 0.5 at the "good match" cut. */
  score: number;
  confidence: MatchConfidence;
  matchedTerms: string[];
  excerpt: string;
  retrievedBy: ("lexical" | "vector")[];
}

export interface RunbookSearch {
  hits: RunbookHit[];
  /** No hit is a confident match. */
  noGoodMatch: boolean;
  mode: "lexical" | "hybrid";
  embeddingModel: string | null;
  vectorError: string | null;
  tookMs: number;
}

export interface RunbookLibraryOptions {
  /** Cosine at which a vector hit counts as a good match (model-dependent). Default 0.5. */
  vectorMinSimilarity?: number;
  /** Candidates each ranker contributes to fusion. Default 50. */
  fusionDepth?: number;
}

/** Bodies are highlighted within this many leading characters (a 1 MB body must not slow a search). */
const HIGHLIGHT_SCAN_CHARS = 50_000;

interface ProjectIndex {
  lexical: Bm25Index<RunbookRow>;
}

/**
 * Runbook documents: persisted in the store, indexed in memory per project (BM25F, plus vectors when
 * an embedding provider is configured) and kept in step with every write made through this library.
 * Writes to one runbook are serialised so the index always ends with the last committed version.
 */
export class RunbookLibrary {
  private readonly projects = new Map<string, Promise<ProjectIndex>>();
  private readonly writes = new KeyedMutex();
  private readonly vectorMinSimilarity: number;
  private readonly fusionDepth: number;

  constructor(
    private readonly database: Database,
    private readonly store: RunbookStore,
    private readonly vectors: VectorRetrieval,
    o: RunbookLibraryOptions = {},
  ) {
    this.vectorMinSimilarity = o.vectorMinSimilarity ?? 0.5;
    this.fusionDepth = o.fusionDepth ?? 50;
  }

  /** Build a project's index now (start-up) rather than on its first request. */
  async load(projectId: string): Promise<number> {
    return (await this.project(projectId)).lexical.size;
  }

  /** Create a runbook; ConflictError when its id is taken. */
  create(projectId: string, draft: RunbookDraft): Promise<RunbookRow> {
    const fields = fieldsOf(draft.id ?? newId(), draft);
    return this.writes.run(`${projectId}\u0000${fields.id}`, async () => {
      const p = await this.project(projectId);
      const row = await this.store.insert(this.database.db, projectId, fields);
      if (!row) {
        throw new ConflictError(
          `runbook "${fields.id}" already exists; PUT /api/v1/runbooks/{id} replaces it`,
          "runbook_exists",
        );
      }
      this.indexed(projectId, p, row);
      return row;
    });
  }

  /** Create or replace the runbook with this id. */
  put(projectId: string, id: string, draft: RunbookDraft): Promise<{ runbook: RunbookRow; created: boolean }> {
    const fields = fieldsOf(id, draft);
    return this.writes.run(`${projectId}\u0000${id}`, async () => {
      const p = await this.project(projectId);
      const { row, created } = await this.store.upsert(this.database.db, projectId, fields);
      this.indexed(projectId, p, row);
      return { runbook: row, created };
    });
  }

  async get(projectId: string, id: string): Promise<RunbookRow> {
    const row = await this.store.get(this.database.db, projectId, id);
    if (!row) throw new NotFoundError(`runbook "${id}" not found`);
    return row;
  }

  list(projectId: string, o: { offset: number; limit: number; service?: string | undefined }) {
    return this.store.list(this.database.db, projectId, o);
  }

  delete(projectId: string, id: string): Promise<void> {
    return this.writes.run(`${projectId}\u0000${id}`, async () => {
      const p = await this.project(projectId);
      if (!(await this.store.delete(this.database.db, projectId, id))) {
        throw new NotFoundError(`runbook "${id}" not found`);
      }
      p.lexical.remove(id);
      await this.vectors.remove(projectId, [id]);
    });
  }

  /** Rebuild a project's index from the store (after runbooks were written around the library: a restore). */
  async reload(projectId: string): Promise<number> {
    this.projects.delete(projectId);
    return this.load(projectId);
  }

  /** Runbooks in this project's index (this process's view). */
  async size(projectId: string): Promise<number> {
    return (await this.project(projectId)).lexical.size;
  }

  /** Resolves once every runbook written so far has its vector (no-op without embeddings). */
  vectorsIdle(projectId: string) {
    return this.vectors.idle(projectId);
  }

  /**
   * Best runbooks for a query: BM25F with ops-vocabulary expansion, fused by reciprocal rank with
   * vector similarity when embeddings are configured. Every hit carries a calibrated score and a
   * confidence; `noGoodMatch` says none of them should be presented as the answer.
   */
  async search(projectId: string, q: RunbookQuery): Promise<RunbookSearch> {
    const t0 = performance.now();
    const p = await this.project(projectId);
    const service = q.service?.toLowerCase();
    const inService = (r: RunbookRow | undefined) => service === undefined || r?.service.toLowerCase() === service;
    const depth = Math.max(q.topK, this.fusionDepth);
    const lexical = p.lexical.search(q.query, { limit: depth, filter: inService });
    const vector = await this.vectors.rank(
      projectId,
      q.query,
      depth,
      service === undefined ? undefined : (id) => inService(p.lexical.get(id)),
    );

    const lexById = new Map(lexical.map((h) => [h.id, h]));
    const cosById = new Map(vector.hits.map((h) => [h.id, h.cosine]));
    const order =
      vector.hits.length === 0
        ? lexical.map((h) => h.id)
        : reciprocalRankFusion([{ ids: lexical.map((h) => h.id) }, { ids: vector.hits.map((h) => h.id) }]).map(
            (f) => f.id,
          );
    let queryTerms: string[] | null = null;
    const hits: RunbookHit[] = [];
    for (const id of order) {
      if (hits.length >= q.topK) break;
      const runbook = p.lexical.get(id);
      if (!runbook) continue; // deleted between the two rankings
      const lex = lexById.get(id);
      const cos = cosById.get(id);
      const score = Math.max(lex?.similarity ?? 0, cos === undefined ? 0 : this.vectorSimilarity(cos));
      queryTerms ??= p.lexical.queryTerms(q.query).map((t) => t.term);
      const terms = lex?.matchedTerms ?? queryTerms;
      hits.push({
        runbook,
        score: Math.round(score * 10_000) / 10_000,
        confidence: confidenceOf(score),
        matchedTerms: lex?.matchedTerms ?? [],
        excerpt: highlight(runbook.body.slice(0, HIGHLIGHT_SCAN_CHARS), terms, { maxLength: 240 }),
        retrievedBy: [...(lex ? ["lexical" as const] : []), ...(cos !== undefined ? ["vector" as const] : [])],
      });
    }
    return {
      hits,
      noGoodMatch: !hits.some((h) => h.confidence !== "low"),
      mode: vector.hits.length > 0 ? "hybrid" : "lexical",
      embeddingModel: this.vectors.model,
      vectorError: vector.error,
      tookMs: Math.round((performance.now() - t0) * 1000) / 1000,
    };
  }

  /** Cosine → the same calibrated scale as lexical similarity: 0.5 at the configured cut. */
  private vectorSimilarity(cosine: number): number {
    return 1 - 2 ** (-Math.max(0, cosine) / this.vectorMinSimilarity);
  }

  private indexed(projectId: string, p: ProjectIndex, row: RunbookRow): void {
    p.lexical.update(row.id, row);
    this.vectors.upsert(projectId, [{ id: row.id, text: embeddingText(row) }]);
  }

  private project(projectId: string): Promise<ProjectIndex> {
    let p = this.projects.get(projectId);
    if (!p) {
      p = (async () => {
        const lexical = newRunbookIndex();
        const rows = await this.store.all(this.database.db, projectId);
        for (const r of rows) lexical.add(r.id, r);
        await this.vectors.load(
          projectId,
          rows.map((r) => ({ id: r.id, text: embeddingText(r) })),
        );
        return { lexical };
      })();
      p.catch(() => this.projects.delete(projectId));
      this.projects.set(projectId, p);
    }
    return p;
  }
}

function newId(): string {
  return `rb_${randomBytes(8).toString("hex")}`;
}

function fieldsOf(id: string, d: RunbookDraft): RunbookFields {
  return {
    id,
    title: d.title.trim(),
    service: d.service.trim(),
    body: d.body,
    url: d.url ?? null,
    tags: [...new Set((d.tags ?? []).map((t) => t.trim()).filter(Boolean))],
  };
}
