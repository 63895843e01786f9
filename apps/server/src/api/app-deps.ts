import type { KnowledgeBaseSettings, MessageTemplate } from "@aegis/contracts";
import type { ApiKeyService } from "../accounts/api-key-service.js";
import type { AuthService } from "../accounts/auth-service.js";
import type { PermissionService } from "../accounts/permission-service.js";
import type { ProjectService } from "../accounts/project-service.js";
import type { AnalysisEngine } from "../analysts/llm/create-analysis-engine.js";
import type { SecurityCenter } from "../audit/security-center.js";
import type { Config } from "../config/config.js";
import type { AgentService } from "../engine/agent-service.js";
import type { AlertIntake } from "../engine/alert-intake.js";
import type { EscalationEngine } from "../engine/escalation-engine.js";
import type { IncidentActions } from "../engine/incident-actions.js";
import type { IncidentResource } from "../engine/incident-resource.js";
import type { IncidentService } from "../engine/incident-service.js";
import type { SettingsBackup } from "../engine/settings-backup.js";
import type { SettingsService } from "../engine/settings-service.js";
import type { SilenceService } from "../engine/silence-service.js";
import type { AnalyticsService } from "../insights/analytics-service.js";
import type { DashboardService } from "../insights/dashboard-service.js";
import type { predictionsView } from "../insights/predictions-view.js";
import type { ReportService } from "../insights/report-service.js";
import type { ChatApprovals } from "../integrations/chat-approvals.js";
import type { DependencyHealth } from "../integrations/dependency-health.js";
import type { IntegrationRegistry } from "../integrations/integration-registry.js";
import type { TicketService } from "../integrations/ticket-service.js";
import type { WebhookService } from "../integrations/webhook-service.js";
import type { KnowledgeSearch } from "../knowledge/knowledge-search.js";
import type { RunbookLibrary } from "../knowledge/runbooks/runbook-library.js";
import type { Monitor } from "../monitor/create-monitor.js";
import type { MonitoringCenter } from "../observability/monitoring-center.js";
import type { EscalationPolicyService } from "../oncall/escalation-policy-service.js";
import type { ScheduleService } from "../oncall/schedule-service.js";
import type { EventBus } from "../ports/event-bus.js";
import type { Executor } from "../ports/executor.js";
import type { Authenticator } from "../ports/identity.js";
import type { KnowledgeBase } from "../ports/knowledge-base.js";
import type { Logger } from "../shared/logger.js";
import type { DownloadSigner } from "./download-signer.js";

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
    "create" | "get" | "idOf" | "list" | "page" | "update" | "changeState" | "workflow" | "metrics" | "timeline"
  >;
  executor: Pick<
    Executor,
    "kind" | "targets" | "has" | "scaleUp" | "scaleDown" | "containers" | "metrics" | "topology"
  >;
  knowledge: Pick<KnowledgeBase, "list" | "similar">;
  /** Seed 001 analysis, seed 002 hypotheses and usage analytics. */
  analysis: {
    copilot: Pick<AnalysisEngine["copilot"], "analyze">;
  } & Pick<AnalysisEngine, "tokenUsage" | "costSummary" | "hypotheses" | "diagnosisDetail">;
  runbooks: Pick<RunbookLibrary, "create" | "list" | "get" | "put" | "delete" | "search">;
  knowledgeSearch: Pick<KnowledgeSearch, "search">;
  /** Seed 002 accounts: sign-in, projects and members, per-project API keys. */
  accounts: { auth: AuthService; projects: ProjectService; apiKeys: ApiKeyService; permissions?: PermissionService };
  /** Seed 004 predictive monitor. */
  monitor: Monitor;
  bus: EventBus;
  /** Seed 001 tickets, outbound webhooks and dependency health. */
  tickets: Pick<TicketService, "create" | "get" | "list">;
  webhooks: Pick<WebhookService, "register" | "list" | "delete" | "deliveries">;
  dependencyHealth: Pick<DependencyHealth, "report">;
  /** On-call schedules, escalation policies and incidents' escalation state (issue #12). */
  oncall: {
    schedules: Pick<
      ScheduleService,
      | "list"
      | "get"
      | "create"
      | "replace"
      | "delete"
      | "addOverride"
      | "removeOverride"
      | "onCallAt"
      | "onCallNow"
      | "shifts"
    >;
    policies: Pick<EscalationPolicyService, "list" | "get" | "create" | "replace" | "delete">;
    escalations: Pick<EscalationEngine, "status">;
  };
  /** Seed 003 settings: the settings document, backups, and read-only views. */
  settings: {
    settings: Pick<SettingsService, "get" | "update">;
    backups: Pick<SettingsBackup, "create" | "list" | "restore">;
    templates(): MessageTemplate[];
    knowledgeBase(projectId: string): Promise<KnowledgeBaseSettings>;
  };
  /**
   * Seed 003 security and audit (ADR 0016): the audit chain, access log, security events, compliance.
   * Absent in route tests that do not exercise it: then no audit or access-log hook is installed.
   */
  security?: Pick<SecurityCenter, "audit" | "events" | "access" | "keys" | "compliance"> & {
    /** The server operator's project: it sees events that name no project. */
    operatorProjectId: string;
  };
  /**
   * Seed 003 live monitoring (ADR 0016): the product's logs (ring + managed services' files), runtime
   * metrics, component status, traces and profiling. Absent in route tests that do not exercise it.
   */
  monitoring?: MonitoringCenter & {
    /** The server operator's project: it sees log lines that name no project, and the managed services' logs. */
    operatorProjectId: string;
    heartbeatMs: number;
    metricsIntervalMs: number;
  };
  /** Integrations registry (seeds 002 and 003) and secret rotation. */
  integrations: Pick<
    IntegrationRegistry,
    | "list"
    | "available"
    | "get"
    | "getById"
    | "create"
    | "configure"
    | "patch"
    | "delete"
    | "test"
    | "testById"
    | "testConnection"
    | "sync"
    | "logs"
    | "metrics"
    | "rotate"
  >;
  /** Approve / reject from Slack and Teams buttons. */
  chatApprovals: Pick<ChatApprovals, "slack" | "teams">;
  /** Seed 003 dashboard, analytics and agent views over stored incidents. */
  insights: {
    dashboard: DashboardService;
    analytics: AnalyticsService;
    reports: Pick<ReportService, "generate" | "get" | "html" | "pdfOf">;
    predictions: typeof predictionsView;
  };
  /** Seed 003 incident actions: acknowledge, resolve, related, feedback, actions through the council. */
  incidentActions: Pick<
    IncidentActions,
    "acknowledge" | "resolve" | "related" | "feedback" | "feedbackOf" | "runAction"
  >;
  /** Seed 003 agent: status, analysis, capabilities, knowledge base, learning metrics, prompts. */
  agent: Pick<AgentService, "status" | "analyze" | "capabilities" | "knowledgeBase" | "learningMetrics" | "prompts">;
  logger: Logger;
  version: string;
  databaseKind: string;
  /** Alert sources (Alertmanager, Grafana, PagerDuty), their tokens, and the alerts received. */
  alertIntake: Pick<
    AlertIntake,
    "receive" | "refused" | "projectOfToken" | "signingSecret" | "configure" | "sources" | "source" | "alerts"
  >;
  /** Signs download links of exports and reports (ADR 0021); absent, a key of this process only is used. */
  downloadLinks?: DownloadSigner;
  /** Silences and maintenance windows. */
  silences: Pick<SilenceService, "create" | "list" | "get" | "update" | "expire">;
}
