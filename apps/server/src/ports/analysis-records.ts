/** What an analysis leaves behind: its hypotheses and citations, and what its model calls cost. */

/** A fact an analysis used: where it came from, how to find it again, what it said, when. */
export interface Citation {
  source: string;
  reference: string;
  excerpt: string;
  timestamp: string;
}

/** One ranked explanation (seed 002 hypothesis shape). */
export interface Hypothesis {
  rank: number;
  claim: string;
  description: string;
  confidence: number;
  confidenceLower: number;
  confidenceUpper: number;
  supportingEvidence: string[];
  contradictingEvidence: string[];
}

/** Port: where an incident's hypotheses and citations are kept (the store, in the server). */
export interface AnalysisRecords {
  save(
    projectId: string,
    incidentId: string,
    provider: string,
    hypotheses: Hypothesis[],
    citations: Citation[],
  ): Promise<void>;
}

/** What one provider attempt (all its rounds) or one analysis-cache hit cost. */
export interface LlmCallRecord {
  projectId: string;
  incidentId: string | null;
  /** hypothesis (pipeline diagnosis), analyze (POST /api/v1/analyze) or review (council). */
  requestType: "hypothesis" | "analyze" | "review";
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  costUsd: number;
  cacheHit: boolean;
  ok: boolean;
  error: string | null;
}

/** Port: where usage and cost of model calls go (the store, in the server). */
export interface LlmCallLog {
  record(call: LlmCallRecord): Promise<void>;
}
