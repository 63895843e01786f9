import type { ApiKeyService } from "../accounts/api-key-service.js";
import type { AuthService } from "../accounts/auth-service.js";
import type { ProjectService } from "../accounts/project-service.js";
import type { AnalysisEngine } from "../analysts/llm/create-analysis-engine.js";
import type { Config } from "../config/config.js";
import type { AlertIntake } from "../engine/alert-intake.js";
import type { IncidentResource } from "../engine/incident-resource.js";
import type { IncidentService } from "../engine/incident-service.js";
import type { SilenceService } from "../engine/silence-service.js";
import type { DependencyHealth } from "../integrations/dependency-health.js";
import type { TicketService } from "../integrations/ticket-service.js";
import type { WebhookService } from "../integrations/webhook-service.js";
import type { KnowledgeSearch } from "../knowledge/knowledge-search.js";
import type { RunbookLibrary } from "../knowledge/runbooks/runbook-library.js";
import type { Monitor } from "../monitor/create-monitor.js";
import type { EventBus } from "../ports/event-bus.js";
import type { Executor } from "../ports/executor.js";
import type { Authenticator } from "../ports/identity.js";
import type { KnowledgeBase } from "../ports/knowledge-base.js";
import type { Logger } from "../shared/logger.js";

/**
 * What the HTTP layer needs from the rest of the product: only the methods routes call, so route
 * tests can hand in small fakes. Every project-scoped method takes the request's project id.
 */
export interface AppDeps {
  config: Config;
  /** Resolves the credential a request presents to its principal and project. */
  authenticator: Authenticator;
  incidents: Pick<IncidentService, "receive" | "list" | "get" | "approve" | "reject">;
  /** The /api/v1 incident resource: lifecycle, workflow, metrics, every seed's list. */
  incidentResource: Pick<
    IncidentResource,
    "create" | "get" | "idOf" | "list" | "page" | "update" | "changeState" | "workflow" | "metrics"
  >;
  executor: Pick<
    Executor,
    "kind" | "targets" | "has" | "scaleUp" | "scaleDown" | "containers" | "metrics" | "topology"
  >;
  knowledge: Pick<KnowledgeBase, "list" | "similar">;
  /** Seed 001 analysis, seed 002 hypotheses and usage analytics. */
  analysis: {
    copilot: Pick<AnalysisEngine["copilot"], "analyze">;
  } & Pick<AnalysisEngine, "tokenUsage" | "costSummary" | "hypotheses">;
  runbooks: Pick<RunbookLibrary, "create" | "list" | "get" | "put" | "delete" | "search">;
  knowledgeSearch: Pick<KnowledgeSearch, "search">;
  /** Seed 002 accounts: sign-in, projects and members, per-project API keys. */
  accounts: { auth: AuthService; projects: ProjectService; apiKeys: ApiKeyService };
  /** Seed 004 predictive monitor. */
  monitor: Monitor;
  bus: EventBus;
  /** Seed 001 tickets, outbound webhooks and dependency health. */
  tickets: Pick<TicketService, "create" | "get" | "list">;
  webhooks: Pick<WebhookService, "register" | "list" | "delete" | "deliveries">;
  dependencyHealth: Pick<DependencyHealth, "report">;
  logger: Logger;
  version: string;
  databaseKind: string;
  /** Alert sources (Alertmanager, Grafana, PagerDuty), their tokens, and the alerts received. */
  alertIntake: Pick<
    AlertIntake,
    "receive" | "refused" | "projectOfToken" | "signingSecret" | "configure" | "sources" | "source" | "alerts"
  >;
  /** Silences and maintenance windows. */
  silences: Pick<SilenceService, "create" | "list" | "get" | "update" | "expire">;
}
