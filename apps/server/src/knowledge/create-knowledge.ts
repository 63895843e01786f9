import type { Logger } from "../shared/logger.js";
import type { Database } from "../store/database.js";
import { EmbeddingStore } from "../store/embedding-store.js";
import { KnowledgeStore } from "../store/knowledge-store.js";
import { RunbookStore } from "../store/runbook-store.js";
import { KnowledgeSearch } from "./knowledge-search.js";
import { RunbookLibrary } from "./runbooks/runbook-library.js";
import { StoredKnowledgeBase } from "./stored-knowledge-base.js";
import { EmbeddingVectors } from "./vectors/embedding-vectors.js";
import { OpenAiEmbedder } from "./vectors/openai-embedder.js";
import { NoVectors, type VectorRetrieval } from "./vectors/vector-retrieval.js";

export interface KnowledgeOptions {
  /** OpenAI-compatible embeddings API; unset: lexical retrieval only. */
  embeddingsUrl?: string | undefined;
  embeddingsModel: string;
  embeddingsApiKey?: string | undefined;
  /** Cosine at which a vector hit is a good match. */
  embeddingsMinSimilarity: number;
}

export interface Knowledge {
  /** Learned incidents (seed 000 runbook.json), ranked for remediation. */
  incidents: StoredKnowledgeBase;
  runbooks: RunbookLibrary;
  search: KnowledgeSearch;
  close(): Promise<void>;
}

/** The knowledge base, with vectors when an embedding provider is configured (chosen once, here). */
export function createKnowledge(database: Database, logger: Logger, o: KnowledgeOptions): Knowledge {
  const vectors: VectorRetrieval = o.embeddingsUrl
    ? new EmbeddingVectors(
        database,
        new EmbeddingStore(),
        new OpenAiEmbedder({ url: o.embeddingsUrl, model: o.embeddingsModel, apiKey: o.embeddingsApiKey }),
        logger.child({ component: "embeddings" }),
        { source: "runbook" },
      )
    : new NoVectors();
  const runbooks = new RunbookLibrary(database, new RunbookStore(), vectors, {
    vectorMinSimilarity: o.embeddingsMinSimilarity,
  });
  const incidents = new StoredKnowledgeBase(database, new KnowledgeStore(), runbooks);
  return { incidents, runbooks, search: new KnowledgeSearch(runbooks, incidents), close: () => vectors.close() };
}
