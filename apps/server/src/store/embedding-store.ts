import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { knowledgeEmbeddings } from "./schema.js";

/** Which kind of knowledge document a vector belongs to. */
export type EmbeddingSource = "runbook" | "incident";

export interface StoredEmbedding {
  docId: string;
  /** Hash of the exact text that was embedded: a changed document needs a new vector. */
  contentHash: string;
  vector: number[];
}

/** Vectors of knowledge documents, one per (document, model). */
export class EmbeddingStore {
  async upsertMany(
    db: Db,
    projectId: string,
    source: EmbeddingSource,
    model: string,
    items: StoredEmbedding[],
  ): Promise<void> {
    if (items.length === 0) return;
    await db
      .insert(knowledgeEmbeddings)
      .values(items.map((e) => ({ projectId, source, model, ...e })))
      .onConflictDoUpdate({
        target: [
          knowledgeEmbeddings.projectId,
          knowledgeEmbeddings.source,
          knowledgeEmbeddings.docId,
          knowledgeEmbeddings.model,
        ],
        set: {
          contentHash: sql`excluded.content_hash`,
          vector: sql`excluded.vector`,
          createdAt: new Date(),
        },
      });
  }

  async all(db: Db, projectId: string, source: EmbeddingSource, model: string): Promise<StoredEmbedding[]> {
    return db
      .select({
        docId: knowledgeEmbeddings.docId,
        contentHash: knowledgeEmbeddings.contentHash,
        vector: knowledgeEmbeddings.vector,
      })
      .from(knowledgeEmbeddings)
      .where(
        and(
          eq(knowledgeEmbeddings.projectId, projectId),
          eq(knowledgeEmbeddings.source, source),
          eq(knowledgeEmbeddings.model, model),
        ),
      );
  }

  /** Forget every model's vector of these documents. */
  async delete(db: Db, projectId: string, source: EmbeddingSource, docIds: string[]): Promise<void> {
    if (docIds.length === 0) return;
    await db
      .delete(knowledgeEmbeddings)
      .where(
        and(
          eq(knowledgeEmbeddings.projectId, projectId),
          eq(knowledgeEmbeddings.source, source),
          inArray(knowledgeEmbeddings.docId, docIds),
        ),
      );
  }
}
