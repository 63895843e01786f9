import type { RetrievedIncident, RunbookEntry } from "@aegis/contracts";

/** Port: the knowledge base of learned incidents (and, later, runbook documents). */
export interface KnowledgeBase {
  /** Add or replace a learned incident. */
  learn(projectId: string, entry: RunbookEntry): Promise<void>;
  list(projectId: string): Promise<RunbookEntry[]>;
  /** Most similar entries to a query (alert type + logs), best first, with scores in 0..1. */
  similar(projectId: string, query: string, limit: number): Promise<RetrievedIncident[]>;
}
