import type { AnalysisEngine } from "../analysts/llm/create-analysis-engine.js";
import type { Config } from "../config/config.js";
import type { IncidentService } from "../engine/incident-service.js";
import type { KnowledgeSearch } from "../knowledge/knowledge-search.js";
import type { RunbookLibrary } from "../knowledge/runbooks/runbook-library.js";
import type { Monitor } from "../monitor/create-monitor.js";
import type { EventBus } from "../ports/event-bus.js";
import type { Executor } from "../ports/executor.js";
import type { KnowledgeBase } from "../ports/knowledge-base.js";
import type { Logger } from "../shared/logger.js";

/** What the HTTP layer needs from the rest of the product. */
export interface AppDeps {
  config: Config;
  apiKey: string;
  incidents: IncidentService;
  executor: Executor;
  knowledge: KnowledgeBase;
  /** Model chain, seed 001 analysis, hypotheses and usage analytics. */
  analysis: AnalysisEngine;
  runbooks: RunbookLibrary;
  knowledgeSearch: KnowledgeSearch;
  /** Seed 004 predictive monitor. */
  monitor: Monitor;
  bus: EventBus;
  logger: Logger;
  version: string;
  databaseKind: string;
}
