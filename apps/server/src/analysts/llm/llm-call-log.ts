import type { LlmCallRecord } from "../../ports/analysis-records.js";
import type { LlmProvider, LlmUsage } from "./llm-provider.js";
import type { PriceTable } from "./price-table.js";

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
