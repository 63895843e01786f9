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
