import type { FixOutcome, RetrievedIncident, RunbookEntry } from "@aegis/contracts";

/** Port: the knowledge base of learned incidents (and, later, runbook documents). */
export interface KnowledgeBase {
  /** Add or replace a learned incident. */
  learn(projectId: string, entry: RunbookEntry): Promise<void>;
  list(projectId: string): Promise<RunbookEntry[]>;
  /** Most similar entries to a query (alert type + logs), best first, with scores in 0..1. */
  similar(projectId: string, query: string, limit: number): Promise<RetrievedIncident[]>;
  /** Entries of this service verified RESOLVED between `from` and `to` (inclusive), newest first. */
  resolvedBetween(projectId: string, containerName: string, from: Date, to: Date): Promise<RunbookEntry[]>;
  /** Record what became of a learned fix later (e.g. REOPENED); null when there is no such entry. */
  setOutcome(projectId: string, incidentId: string, outcome: FixOutcome): Promise<RunbookEntry | null>;
  /** Best runbook documents for an incident (empty when the knowledge base has no runbooks). */
  runbooks(projectId: string, query: string, limit: number): Promise<RunbookMatch[]>;
}

/** A runbook document matched to an incident, on the calibrated 0..1 scale (0.5 = good-match cut). */
export interface RunbookMatch {
  id: string;
  title: string;
  service: string;
  score: number;
  /** "low" means: not a good match, do not present it as the answer. */
  confidence: "high" | "medium" | "low";
  /** Highlighted excerpt around the matched terms. */
  excerpt: string;
  /** The runbook's markdown body (for reading its mitigation). */
  body: string;
  url: string | null;
}
