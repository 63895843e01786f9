import type { VectorHit } from "./vector-index.js";

/** A document as the vector side sees it: an id and the text to embed. */
export interface EmbeddableDoc {
  id: string;
  text: string;
}

/** Vectors for one query, or why there are none. */
export interface VectorRanking {
  hits: VectorHit[];
  /** Set when vectors are configured but could not be used (provider down…): lexical results stand alone. */
  error: string | null;
}

/**
 * Port: the vector side of retrieval, kept in step with the documents by the library that owns them.
 * `NoVectors` when no embedding provider is configured; `EmbeddingVectors` otherwise.
 */
export interface VectorRetrieval {
  /** Embedding model, null when disabled. */
  readonly model: string | null;
  /** Start-up: the project's documents as stored. */
  load(projectId: string, docs: readonly EmbeddableDoc[]): Promise<void>;
  /** Documents were created or changed. */
  upsert(projectId: string, docs: readonly EmbeddableDoc[]): void;
  /** Documents were deleted (their stored vectors too). */
  remove(projectId: string, ids: readonly string[]): Promise<void>;
  rank(projectId: string, query: string, limit: number, filter?: (id: string) => boolean): Promise<VectorRanking>;
  /** Resolves once every pending document is embedded (or the provider failed); for tests and benchmarks. */
  idle(projectId: string): Promise<{ pending: number; error: string | null }>;
  close(): Promise<void>;
}

/** Lexical retrieval only. */
export class NoVectors implements VectorRetrieval {
  readonly model = null;
  async load(): Promise<void> {}
  upsert(): void {}
  async remove(): Promise<void> {}
  async rank(): Promise<VectorRanking> {
    return { hits: [], error: null };
  }
  async idle(): Promise<{ pending: number; error: string | null }> {
    return { pending: 0, error: null };
  }
  async close(): Promise<void> {}
}
