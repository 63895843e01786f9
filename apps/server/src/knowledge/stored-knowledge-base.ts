import type { RetrievedIncident, RunbookEntry } from "@aegis/contracts";
import type { Database } from "../store/database.js";
import type { KnowledgeStore } from "../store/knowledge-store.js";
import type { KnowledgeBase } from "./knowledge-base.js";
import { Bm25Index } from "./lexical/bm25-index.js";

/** Outcomes rank: a fix that worked is preferred over one that did not, at equal similarity. */
const OUTCOME_WEIGHT: Record<string, number> = { RESOLVED: 1, REOPENED: 0.7, ROLLED_BACK: 0.6, FAILED: 0.5 };

/**
 * Learned incidents persisted in the store and indexed in memory (BM25F over alert type, root cause
 * and logs) per project; the index is loaded on first use and kept in step with every write.
 */
export class StoredKnowledgeBase implements KnowledgeBase {
  private readonly indexes = new Map<string, Promise<Bm25Index<RunbookEntry>>>();

  constructor(
    private readonly database: Database,
    private readonly store: KnowledgeStore,
  ) {}

  async learn(projectId: string, entry: RunbookEntry): Promise<void> {
    await this.store.upsert(this.database.db, projectId, entry);
    (await this.index(projectId)).update(entry.incident_id, entry);
  }

  list(projectId: string): Promise<RunbookEntry[]> {
    return this.store.list(this.database.db, projectId);
  }

  async similar(projectId: string, query: string, limit: number): Promise<RetrievedIncident[]> {
    const index = await this.index(projectId);
    if (index.size === 0) return [];
    const hits = index.search(query, { limit: Math.max(limit * 3, 10) });
    return hits
      .map((h) => ({ h, rank: h.similarity * (OUTCOME_WEIGHT[h.doc.outcome ?? "RESOLVED"] ?? 1) }))
      .sort((a, b) => b.rank - a.rank)
      .slice(0, limit)
      .map(({ h }) => ({
        incident_id: h.doc.incident_id,
        alert_type: h.doc.alert_type,
        root_cause: h.doc.root_cause,
        action: h.doc.action,
        justification: h.doc.justification,
        logs: h.doc.logs,
        similarity_score: Math.round(h.similarity * 10_000) / 10_000,
        container_name: h.doc.container_name,
        severity: h.doc.severity,
        replicas_used: h.doc.replicas_used,
        ...(h.doc.outcome ? { outcome: h.doc.outcome } : {}),
      }));
  }

  private index(projectId: string): Promise<Bm25Index<RunbookEntry>> {
    let p = this.indexes.get(projectId);
    if (!p) {
      p = (async () => {
        const index = new Bm25Index<RunbookEntry>({
          fields: [
            { name: "alert_type", weight: 3, value: (e) => e.alert_type },
            { name: "root_cause", weight: 1.5, value: (e) => e.root_cause },
            { name: "logs", weight: 1, value: (e) => e.logs },
          ],
        });
        for (const e of await this.store.list(this.database.db, projectId)) index.update(e.incident_id, e);
        return index;
      })();
      p.catch(() => this.indexes.delete(projectId));
      this.indexes.set(projectId, p);
    }
    return p;
  }
}
