import { createHash } from "node:crypto";
import type { Logger } from "../../shared/logger.js";
import type { Database } from "../../store/database.js";
import type { EmbeddingSource, EmbeddingStore } from "../../store/embedding-store.js";
import type { Embedder } from "./embedder.js";
import { VectorIndex } from "./vector-index.js";
import type { EmbeddableDoc, VectorRanking, VectorRetrieval } from "./vector-retrieval.js";

export interface EmbeddingVectorsOptions {
  source: EmbeddingSource;
  /** Documents per provider request. Default 64. */
  batchSize?: number;
  /** Retry back-off after a provider failure. Default 1 s doubling to 60 s. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Query vectors kept (repeated queries cost no provider call). Default 256. */
  queryCacheSize?: number;
}

interface Pending {
  text: string;
  hash: string;
}

interface ProjectVectors {
  projectId: string;
  index: VectorIndex;
  /** Hash of the text behind each indexed vector. */
  hashes: Map<string, string>;
  /** Documents waiting for a (new) vector. */
  dirty: Map<string, Pending>;
  draining: Promise<void> | null;
  failures: number;
  lastError: string | null;
  waiters: (() => void)[];
}

const hashOf = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * Vectors from an embedding provider, stored as real[] (no pgvector needed) and searched in process.
 * Writes never wait for the provider: changed documents are queued and embedded in batches in the
 * background (lexical search has them at once); a failing provider is retried with back-off and
 * reported on every search until it recovers. Unchanged text (same hash) is never re-embedded.
 */
export class EmbeddingVectors implements VectorRetrieval {
  readonly model: string;
  private readonly projects = new Map<string, ProjectVectors>();
  private readonly queryCache = new Map<string, Float32Array>();
  private readonly abort = new AbortController();
  private closed = false;

  constructor(
    private readonly database: Database,
    private readonly store: EmbeddingStore,
    private readonly embedder: Embedder,
    private readonly logger: Logger,
    private readonly o: EmbeddingVectorsOptions,
  ) {
    this.model = embedder.model;
  }

  async load(projectId: string, docs: readonly EmbeddableDoc[]): Promise<void> {
    const p = this.project(projectId);
    const stored = await this.store.all(this.database.db, projectId, this.o.source, this.model);
    const byId = new Map(stored.map((s) => [s.docId, s]));
    for (const d of docs) {
      const hash = hashOf(d.text);
      const s = byId.get(d.id);
      if (s && s.contentHash === hash && this.fits(p, s.vector.length)) {
        p.index.set(d.id, s.vector);
        p.hashes.set(d.id, hash);
      } else p.dirty.set(d.id, { text: d.text, hash });
    }
    this.kick(p);
  }

  upsert(projectId: string, docs: readonly EmbeddableDoc[]): void {
    const p = this.project(projectId);
    for (const d of docs) {
      const hash = hashOf(d.text);
      if (p.hashes.get(d.id) === hash) continue;
      // A stale vector would rank the document by text it no longer has.
      p.index.remove(d.id);
      p.hashes.delete(d.id);
      p.dirty.set(d.id, { text: d.text, hash });
    }
    this.kick(p);
  }

  async remove(projectId: string, ids: readonly string[]): Promise<void> {
    const p = this.project(projectId);
    for (const id of ids) {
      p.dirty.delete(id);
      p.index.remove(id);
      p.hashes.delete(id);
    }
    await this.store.delete(this.database.db, projectId, this.o.source, [...ids]);
  }

  async rank(
    projectId: string,
    query: string,
    limit: number,
    filter?: (id: string) => boolean,
  ): Promise<VectorRanking> {
    const p = this.project(projectId);
    if (p.index.size === 0) return { hits: [], error: p.lastError };
    try {
      const q = await this.queryVector(query);
      if (q.length !== p.index.dimensions) {
        return { hits: [], error: `query vector has ${q.length} dimensions, documents ${p.index.dimensions}` };
      }
      return { hits: p.index.search(q, limit, filter), error: null };
    } catch (err) {
      const message = (err as Error).message;
      this.logger.warn({ err, projectId }, "query embedding failed; lexical results only");
      return { hits: [], error: message };
    }
  }

  idle(projectId: string): Promise<{ pending: number; error: string | null }> {
    const p = this.project(projectId);
    const state = () => ({ pending: p.dirty.size, error: p.lastError });
    if (p.dirty.size === 0 || !p.draining) return Promise.resolve(state());
    return new Promise((resolve) => p.waiters.push(() => resolve(state())));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await Promise.all([...this.projects.values()].map((p) => p.draining));
  }

  private project(projectId: string): ProjectVectors {
    let p = this.projects.get(projectId);
    if (!p) {
      p = {
        projectId,
        index: new VectorIndex(),
        hashes: new Map(),
        dirty: new Map(),
        draining: null,
        failures: 0,
        lastError: null,
        waiters: [],
      };
      this.projects.set(projectId, p);
    }
    return p;
  }

  /** A model whose output size changed (a different deployment under the same name) starts over. */
  private fits(p: ProjectVectors, dims: number): boolean {
    return p.index.size === 0 || p.index.dimensions === dims;
  }

  private async queryVector(query: string): Promise<Float32Array> {
    const cached = this.queryCache.get(query);
    if (cached) {
      this.queryCache.delete(query);
      this.queryCache.set(query, cached);
      return cached;
    }
    const [v] = await this.embedder.embed([query], this.abort.signal);
    const vector = v as Float32Array;
    this.queryCache.set(query, vector);
    if (this.queryCache.size > (this.o.queryCacheSize ?? 256)) {
      this.queryCache.delete(this.queryCache.keys().next().value as string);
    }
    return vector;
  }

  private kick(p: ProjectVectors): void {
    if (p.draining || p.dirty.size === 0 || this.closed) return;
    p.draining = this.drain(p).finally(() => {
      p.draining = null;
      this.wake(p);
      this.kick(p); // documents queued after a failure-abort
    });
  }

  private wake(p: ProjectVectors): void {
    for (const w of p.waiters.splice(0)) w();
  }

  private async drain(p: ProjectVectors): Promise<void> {
    const size = this.o.batchSize ?? 64;
    while (p.dirty.size > 0 && !this.closed) {
      const batch = [...p.dirty].slice(0, size);
      try {
        const vectors = await this.embedder.embed(
          batch.map(([, d]) => d.text),
          this.abort.signal,
        );
        // Documents changed or deleted while their vector was computed wait for the next round.
        const fresh = batch
          .map(([id, d], i) => ({ id, d, v: vectors[i] as Float32Array }))
          .filter(({ id, d }) => p.dirty.get(id) === d);
        await this.store.upsertMany(
          this.database.db,
          p.projectId,
          this.o.source,
          this.model,
          fresh.map(({ id, d, v }) => ({ docId: id, contentHash: d.hash, vector: Array.from(v) })),
        );
        for (const { id, d, v } of fresh) {
          if (p.dirty.get(id) !== d) continue;
          p.index.set(id, v);
          p.hashes.set(id, d.hash);
          p.dirty.delete(id);
        }
        p.failures = 0;
        p.lastError = null;
      } catch (err) {
        if (this.closed) return;
        p.failures++;
        p.lastError = (err as Error).message;
        this.logger.warn({ err, projectId: p.projectId, pending: p.dirty.size }, "embedding failed; will retry");
        this.wake(p);
        const base = this.o.retryBaseMs ?? 1000;
        await sleep(Math.min(this.o.retryMaxMs ?? 60_000, base * 2 ** (p.failures - 1)), this.abort.signal);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
