import type { LlmProvider, LlmUsage } from "./llm-provider.js";
import type { PriceTable } from "./price-table.js";

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

/** The record of one finished provider attempt (not a cache hit): tokens, latency since `startedAt`, cost. */
export function providerCallRecord(a: {
  projectId: string;
  incidentId: string | null;
  requestType: LlmCallRecord["requestType"];
  provider: LlmProvider;
  prices: PriceTable;
  usage: LlmUsage;
  startedAt: number;
  error: string | null;
}): LlmCallRecord {
  return {
    projectId: a.projectId,
    incidentId: a.incidentId,
    requestType: a.requestType,
    provider: a.provider.kind,
    model: a.provider.model,
    promptTokens: a.usage.promptTokens,
    completionTokens: a.usage.completionTokens,
    latencyMs: Math.round(performance.now() - a.startedAt),
    costUsd: a.prices.costOf(a.provider.model, a.usage),
    cacheHit: false,
    ok: a.error === null,
    error: a.error?.slice(0, 500) ?? null,
  };
}
