import type { AIAnalysis, CostSummary, Hypothesis, TokenUsage } from "@aegis/contracts";
import type { Config } from "../../config/config.js";
import type { AnalysisRecords, Citation, LlmCallLog } from "../../ports/analysis-records.js";
import type { Council } from "../../ports/council.js";
import type { EventBus } from "../../ports/event-bus.js";
import type { Executor } from "../../ports/executor.js";
import type { KnowledgeBase } from "../../ports/knowledge-base.js";
import type { SecondOpinion } from "../../ports/second-opinion.js";
import type { TargetProtection } from "../../safety/target-protection.js";
import type { Logger } from "../../shared/logger.js";
import { AnalysisRecordStore } from "../../store/analysis-record-store.js";
import type { Database } from "../../store/database.js";
import { LlmUsageStore } from "../../store/llm-usage-store.js";
import { BuiltinAnalyst } from "../builtin/builtin-analyst.js";
import { BuiltinSecondOpinion } from "../builtin/builtin-second-opinion.js";
import { AnalysisCache } from "./analysis-cache.js";
import { AnalysisChain, type ChainLink } from "./analysis-chain.js";
import type { DetailedResult, NextAction, SuggestedCommand } from "./analysis-detail.js";
import { BatchedAnalysisRecords } from "./batched-analysis-records.js";
import { BuiltinLink } from "./builtin-link.js";
import { CopilotAnalyzer } from "./copilot-analyzer.js";
import { Investigator, type RunbookFinder } from "./investigator.js";
import { LlmAnalyst } from "./llm-analyst.js";
import type { LlmProvider } from "./llm-provider.js";
import { ModelReviewedCouncil } from "./model-reviewed-council.js";
import { PriceTable } from "./price-table.js";
import { Redactor } from "./redactor.js";
import { playbookFor } from "./remediation-playbook.js";

export interface AnalysisEngineDeps {
  database: Database;
  knowledge: KnowledgeBase;
  executor: Executor;
  logger: Logger;
  projectId: string;
  runbooks?: RunbookFinder | undefined;
  /** What is protected (PROTECTED_TARGETS included): the same instance the council's policy uses. */
  protection: TargetProtection;
  /** Frames of the API's analyses (hypotheses stored for an incident). */
  bus?: EventBus | undefined;
}

/** Everything the server needs from the analysis engine: the pipeline's analyst and the API's services. */
export interface AnalysisEngine {
  chain: AnalysisChain;
  copilot: CopilotAnalyzer;
  redactor: Redactor;
  /** The council's independent reading of an incident's evidence: the builtin analyst, whatever the chain. */
  secondOpinion: SecondOpinion;
  tokenUsage(projectId: string, from: Date, to: Date): Promise<TokenUsage>;
  costSummary(projectId: string, days: number): Promise<CostSummary>;
  hypotheses(projectId: string, incidentId: string): Promise<Hypothesis[]>;
  /**
   * Seed 001's analysis of a stored diagnosis: the next steps and commands its action calls for on
   * `target`, and the citations recorded with it.
   */
  diagnosisDetail(
    projectId: string,
    incidentId: string,
    analysis: AIAnalysis,
    target: string,
  ): Promise<{ next_actions: NextAction[]; commands: SuggestedCommand[]; citations: Citation[] }>;
  /** The council with advisory model reviews when a model is configured, else the council itself. */
  reviewing(council: Council): Council;
  /** The model providers of the chain, in order (the builtin analyst, always last, is not among them). */
  providers: readonly { kind: string; model: string }[];
  /** The investigation tools models may call, as configured (prometheus_query only with PROMETHEUS_URL). */
  tools: readonly { name: string; description: string }[];
}

/** Build the configured provider chain (AEGIS_LLM_CHAIN, always ending with builtin) and its services. */
/**
 * Build the analysis engine from config. Vendor SDKs are loaded only for the providers the chain
 * names (they cost ~20 MB of memory that a builtin-only server does not need).
 */
export async function createAnalysisEngine(config: Config, d: AnalysisEngineDeps): Promise<AnalysisEngine> {
  const redactor = new Redactor(config.AEGIS_REDACT_PATTERNS ?? []);
  const prices = new PriceTable(config.AEGIS_LLM_PRICES ?? {});
  const usage = new LlmUsageStore();
  const records = new AnalysisRecordStore();
  const db = d.database.db;
  // Accounting must never fail an analysis; a lost row is logged.
  const calls: LlmCallLog = {
    record: (c) =>
      usage.record(db, c).catch((err) => d.logger.error({ err, provider: c.provider }, "failed to record model usage")),
  };
  // Saves made together (a storm's batch of analyses) share one transaction (issue #17).
  const grouped = new BatchedAnalysisRecords((sets) => records.replaceMany(db, sets));
  const saved: AnalysisRecords = {
    save: (projectId, incidentId, provider, hypotheses, cited) =>
      grouped
        .save(projectId, incidentId, provider, hypotheses, cited)
        .catch((err) => d.logger.error({ err, incident_id: incidentId }, "failed to store hypotheses")),
  };
  const investigator = new Investigator({
    knowledge: d.knowledge,
    executor: d.executor,
    redactor,
    runbooks: d.runbooks,
    prometheusUrl: config.PROMETHEUS_URL,
    projectId: d.projectId,
  });
  const llm = (provider: LlmProvider) => {
    providers.push(provider);
    return new LlmAnalyst({
      provider,
      investigator,
      redactor,
      prices,
      calls,
      maxToolRounds: config.AEGIS_LLM_MAX_TOOL_ROUNDS,
      projectId: d.projectId,
    });
  };
  const links: ChainLink[] = [];
  const providers: LlmProvider[] = [];
  for (const name of new Set(config.AEGIS_LLM_CHAIN)) {
    switch (name) {
      case "openai": {
        const { OpenAiProvider } = await import("./openai-provider.js");
        links.push(
          llm(
            new OpenAiProvider({
              baseURL: config.OPENAI_BASE_URL,
              apiKey: config.OPENAI_API_KEY,
              model: config.AEGIS_LLM_MODEL,
              jsonMode: config.AEGIS_LLM_JSON_MODE,
            }),
          ),
        );
        break;
      }
      case "anthropic": {
        const { AnthropicProvider } = await import("./anthropic-provider.js");
        links.push(
          llm(
            new AnthropicProvider({
              baseURL: config.ANTHROPIC_BASE_URL,
              apiKey: config.ANTHROPIC_API_KEY,
              model: config.ANTHROPIC_MODEL,
            }),
          ),
        );
        break;
      }
      case "builtin":
        break;
    }
  }
  const builtin = new BuiltinAnalyst({ protection: d.protection });
  links.push(new BuiltinLink(builtin, redactor));
  const cache =
    config.AEGIS_ANALYSIS_CACHE_SECS > 0
      ? new AnalysisCache<DetailedResult>(config.AEGIS_ANALYSIS_CACHE_SECS * 1000)
      : null;
  const chain = new AnalysisChain(links, {
    timeoutMs: config.AEGIS_LLM_TIMEOUT_SECS * 1000,
    cache,
    calls,
    records: saved,
    logger: d.logger,
    projectId: d.projectId,
  });
  const copilot = new CopilotAnalyzer({
    chain,
    knowledge: d.knowledge,
    runbooks: d.runbooks ?? null,
    records: saved,
    projectId: d.projectId,
    maxReplicas: config.MAX_REPLICAS,
    budgetMs: config.AEGIS_ANALYZE_TIMEOUT_SECS * 1000,
    bus: d.bus,
  });
  return {
    chain,
    copilot,
    redactor,
    secondOpinion: new BuiltinSecondOpinion(builtin),
    tokenUsage: (projectId, from, to) => usage.tokenUsage(db, projectId, from, to),
    costSummary: (projectId, days) => usage.costSummary(db, projectId, days),
    hypotheses: (projectId, incidentId) => records.hypotheses(db, projectId, incidentId),
    diagnosisDetail: async (projectId, incidentId, analysis, target) => {
      const play = playbookFor(analysis.action, target, analysis.replica_count, analysis.root_cause);
      const cited = await records.citations(db, projectId, incidentId);
      return { next_actions: play.nextActions, commands: play.commands, citations: cited };
    },
    providers: providers.map((p) => ({ kind: p.kind, model: p.model })),
    tools: investigator.specs().map((t) => ({ name: t.name, description: t.description })),
    reviewing: (council) => {
      const provider = providers[0];
      if (!provider || config.AEGIS_LLM_COUNCIL_REVIEW === "off") return council;
      return new ModelReviewedCouncil(council, {
        provider,
        redactor,
        prices,
        calls,
        logger: d.logger,
        timeoutMs: config.AEGIS_LLM_TIMEOUT_SECS * 1000,
        projectId: d.projectId,
      });
    },
  };
}
