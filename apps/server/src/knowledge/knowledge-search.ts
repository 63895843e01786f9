import type { ActionType, FixOutcome } from "@aegis/contracts";
import type { KnowledgeBase } from "../ports/knowledge-base.js";
import type { MatchConfidence } from "./lexical/index.js";
import { confidenceOf } from "./match-confidence.js";
import type { RunbookLibrary } from "./runbooks/runbook-library.js";

/** One knowledge item: a runbook or a learned incident. Browsing (no query) leaves score and confidence null. */
export interface KnowledgeHit {
  kind: "runbook" | "incident";
  id: string;
  title: string;
  score: number | null;
  confidence: MatchConfidence | null;
  service: string | null;
  excerpt: string;
  url: string | null;
  lastUpdated: string | null;
  action: ActionType | null;
  outcome: FixOutcome | null;
}

export interface KnowledgeResult {
  items: KnowledgeHit[];
  noGoodMatch: boolean;
  tookMs: number;
}

/**
 * The whole knowledge base behind one query (seed 003 `GET /api/v1/agent/knowledge-base`):
 * runbooks and learned incidents ranked on the same calibrated scale. Incidents come ranked for
 * remediation (fixes that worked first, see StoredKnowledgeBase).
 */
export class KnowledgeSearch {
  constructor(
    private readonly runbooks: RunbookLibrary,
    private readonly incidents: KnowledgeBase,
  ) {}

  async search(projectId: string, query: string | undefined, limit: number): Promise<KnowledgeResult> {
    const t0 = performance.now();
    const items = query === undefined ? await this.browse(projectId, limit) : await this.find(projectId, query, limit);
    return {
      items,
      noGoodMatch: query !== undefined && !items.some((i) => i.confidence !== "low"),
      tookMs: Math.round((performance.now() - t0) * 1000) / 1000,
    };
  }

  private async find(projectId: string, query: string, limit: number): Promise<KnowledgeHit[]> {
    const [runbooks, incidents] = await Promise.all([
      this.runbooks.search(projectId, { query, topK: limit }),
      this.incidents.similar(projectId, query, limit),
    ]);
    const items: KnowledgeHit[] = [
      ...runbooks.hits.map((h) => ({
        kind: "runbook" as const,
        id: h.runbook.id,
        title: h.runbook.title,
        score: h.score,
        confidence: h.confidence,
        service: h.runbook.service,
        excerpt: h.excerpt,
        url: h.runbook.url,
        lastUpdated: h.runbook.updatedAt.toISOString(),
        action: null,
        outcome: null,
      })),
      ...incidents.map((i) => ({
        kind: "incident" as const,
        id: i.incident_id,
        title: i.alert_type,
        score: i.similarity_score,
        confidence: confidenceOf(i.similarity_score),
        service: i.container_name,
        excerpt: `${i.root_cause} → ${i.action}${i.outcome ? ` (${i.outcome})` : ""}`,
        url: null,
        lastUpdated: null,
        action: i.action,
        outcome: i.outcome ?? null,
      })),
    ];
    // Stable: at equal scores runbooks stay before incidents, each in its own ranking's order.
    return items.sort((a, b) => (b.score ?? 0) - (a.score ?? 0)).slice(0, limit);
  }

  private async browse(projectId: string, limit: number): Promise<KnowledgeHit[]> {
    const [page, learned] = await Promise.all([
      this.runbooks.list(projectId, { offset: 0, limit }),
      this.incidents.list(projectId),
    ]);
    const incidents: KnowledgeHit[] = learned
      .slice(-limit)
      .reverse()
      .map((e) => ({
        kind: "incident",
        id: e.incident_id,
        title: e.alert_type,
        score: null,
        confidence: null,
        service: e.container_name,
        excerpt: `${e.root_cause} → ${e.action}${e.outcome ? ` (${e.outcome})` : ""}`,
        url: null,
        lastUpdated: e.resolved_at,
        action: e.action,
        outcome: e.outcome ?? null,
      }));
    const runbooks: KnowledgeHit[] = page.rows.map((r) => ({
      kind: "runbook",
      id: r.id,
      title: r.title,
      score: null,
      confidence: null,
      service: r.service,
      excerpt: r.body.slice(0, 240),
      url: r.url,
      lastUpdated: r.updatedAt.toISOString(),
      action: null,
      outcome: null,
    }));
    return [...runbooks, ...incidents].slice(0, limit);
  }
}
