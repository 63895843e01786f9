import type { ContainerMetrics, RetrievedIncident } from "@aegis/contracts";
import type { LlmCallRecord } from "../../ports/analysis-records.js";
import type { Executor } from "../../ports/executor.js";
import type { KnowledgeBase } from "../../ports/knowledge-base.js";
import { createLogger } from "../../shared/logger.js";
import { BuiltinAnalyst } from "../builtin/builtin-analyst.js";
import { AnalysisChain, type ChainLink } from "./analysis-chain.js";
import { emptyTrace } from "./analysis-detail.js";
import { AnthropicProvider } from "./anthropic-provider.js";
import { BuiltinLink } from "./builtin-link.js";
import { Investigator } from "./investigator.js";
import { LlmAnalyst } from "./llm-analyst.js";
import { OpenAiProvider } from "./openai-provider.js";
import { PriceTable } from "./price-table.js";
import { Redactor } from "./redactor.js";

/** Test doubles for the engine's in-process ports (the vendors themselves are fake HTTP servers). */
export function memoryCalls() {
  const calls: LlmCallRecord[] = [];
  return { calls, record: async (c: LlmCallRecord) => void calls.push(c) };
}

export const PAST: RetrievedIncident = {
  incident_id: "INC-100",
  alert_type: "Memory Leak",
  root_cause: "request cache never evicted",
  action: "RESTART",
  justification: "restart cleared it",
  logs: "heap grows",
  similarity_score: 0.81,
  container_name: "buggy-app-v2",
  severity: "CRITICAL",
  replicas_used: 0,
  outcome: "RESOLVED",
};

export const knowledgeStub: KnowledgeBase = {
  learn: async () => undefined,
  list: async () => [],
  similar: async () => [PAST],
  resolvedBetween: async () => [],
  setOutcome: async () => null,
  runbooks: async () => [],
};

const metric: ContainerMetrics = {
  name: "buggy-app-v2",
  cpu_percent: 12.5,
  memory_mb: 1900,
  memory_limit_mb: 2048,
  memory_percent: 92.8,
  net_rx_bytes: 0,
  net_tx_bytes: 0,
  status: "running",
  uptime_seconds: 3600,
  image: "buggy-app:v2",
};

export const executorStub = {
  targets: () => ["buggy-app-v2"],
  has: (t: string) => t === "buggy-app-v2",
  logs: async () => "INFO start\nERROR heap out of memory: password=hunter2secret\nINFO retry",
  metrics: async () => [metric],
} as unknown as Executor;

export function openAiLink(
  baseURL: string,
  calls = memoryCalls(),
  over: { maxToolRounds?: number; jsonMode?: "json_schema" | "off" } = {},
) {
  const redactor = new Redactor();
  return new LlmAnalyst({
    provider: new OpenAiProvider({
      baseURL,
      apiKey: "sk-test-key-000000000000",
      model: "gpt-4o-mini",
      jsonMode: over.jsonMode ?? "json_schema",
    }),
    investigator: new Investigator({
      knowledge: knowledgeStub,
      executor: executorStub,
      redactor,
      projectId: "default",
    }),
    redactor,
    prices: new PriceTable(),
    calls,
    maxToolRounds: over.maxToolRounds ?? 3,
    projectId: "default",
  });
}

export function anthropicLink(baseURL: string, calls = memoryCalls()) {
  const redactor = new Redactor();
  return new LlmAnalyst({
    provider: new AnthropicProvider({ baseURL, apiKey: "test", model: "claude-sonnet-4-5" }),
    investigator: new Investigator({
      knowledge: knowledgeStub,
      executor: executorStub,
      redactor,
      projectId: "default",
    }),
    redactor,
    prices: new PriceTable(),
    calls,
    maxToolRounds: 3,
    projectId: "default",
  });
}

export function chainOf(links: ChainLink[], calls = memoryCalls(), timeoutMs = 5000) {
  return new AnalysisChain([...links, new BuiltinLink(new BuiltinAnalyst(), new Redactor())], {
    timeoutMs,
    cache: null,
    calls,
    records: null,
    logger: createLogger("silent"),
    projectId: "default",
  });
}

export const run = () => ({ requestType: "hypothesis" as const, incidentId: "t-1", trace: emptyTrace() });
