import type { FixOutcome, RetrievedIncident, RunbookEntry } from "@aegis/contracts";
import type { KnowledgeBase, RunbookMatch } from "../ports/knowledge-base.js";
import type { Database } from "../store/database.js";
import type { KnowledgeStore } from "../store/knowledge-store.js";
import { Bm25Index } from "./lexical/bm25-index.js";
import type { RunbookLibrary } from "./runbooks/runbook-library.js";

/** Outcomes rank: a fix that worked is preferred over one that did not, at equal similarity. */
export const OUTCOME_WEIGHT: Record<string, number> = { RESOLVED: 1, REOPENED: 0.7, ROLLED_BACK: 0.6, FAILED: 0.5 };

/**
 * Learned incidents persisted in the store and indexed in memory (BM25F over alert type, root cause
 * and logs) per project; the index is loaded on first use and kept in step with every write.
 */
export class StoredKnowledgeBase implements KnowledgeBase {
  private readonly indexes = new Map<string, Promise<Bm25Index<RunbookEntry>>>();

  constructor(
    private readonly database: Database,
    private readonly store: KnowledgeStore,
    /** Runbook documents served with the learned incidents; unset: `runbooks()` finds none. */
    private readonly library: RunbookLibrary | null = null,
  ) {}

  async learn(projectId: string, entry: RunbookEntry): Promise<void> {
    await this.store.upsert(this.database.db, projectId, entry);
    (await this.index(projectId)).update(entry.incident_id, entry);
  }

  async resolvedBetween(projectId: string, containerName: string, from: Date, to: Date): Promise<RunbookEntry[]> {
    const index = await this.index(projectId);
    const service = containerName.toLowerCase();
    const lo = from.getTime();
    const hi = to.getTime();
    const found: { e: RunbookEntry; at: number }[] = [];
    for (const e of index.documents()) {
      if ((e.outcome ?? "RESOLVED") !== "RESOLVED" || !e.resolved_at) continue;
      if (e.container_name?.toLowerCase() !== service) continue;
      const at = Date.parse(e.resolved_at);
      if (at >= lo && at <= hi) found.push({ e, at });
    }
    return found.sort((a, b) => b.at - a.at).map((f) => f.e);
  }

  async setOutcome(projectId: string, incidentId: string, outcome: FixOutcome): Promise<RunbookEntry | null> {
    const current = (await this.index(projectId)).get(incidentId);
    if (!current) return null;
    if (current.outcome === outcome) return current;
    const next = { ...current, outcome };
    await this.learn(projectId, next);
    return next;
  }

  async runbooks(projectId: string, query: string, limit: number): Promise<RunbookMatch[]> {
    if (!this.library) return [];
    const found = await this.library.search(projectId, { query, topK: limit });
    return found.hits.map((h) => ({
      id: h.runbook.id,
      title: h.runbook.title,
      service: h.runbook.service,
      score: h.score,
      confidence: h.confidence,
      excerpt: h.excerpt,
      body: h.runbook.body,
      url: h.runbook.url,
    }));
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
