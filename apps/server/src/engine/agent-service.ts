import type { AgentAnalyzeInput, AnalyzeRequest, AnalyzeResponse, PromptTemplate } from "@aegis/contracts";
import { ActionType } from "@aegis/contracts";
import type { AnalysisEngine } from "../analysts/llm/create-analysis-engine.js";
import { promptTemplates } from "../analysts/llm/prompt-templates.js";
import type { Config } from "../config/config.js";
import type { KnowledgeSearch } from "../knowledge/knowledge-search.js";
import type { Executor } from "../ports/executor.js";
import type { KnowledgeBase } from "../ports/knowledge-base.js";
import type { Database } from "../store/database.js";
import type { IncidentStore } from "../store/incident-store.js";
import type { InsightSettingsStore } from "../store/insight-settings-store.js";
import type { InsightsStore } from "../store/insights-store.js";
import type { IncidentResource } from "./incident-resource.js";

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

/** Seed 001's severities from any seed's spelling (CRITICAL, WARNING, INFO, high…). */
function copilotSeverity(s: string | null | undefined): "critical" | "high" | "medium" | "low" | undefined {
  switch ((s ?? "").toLowerCase()) {
    case "critical":
      return "critical";
    case "high":
      return "high";
    case "warning":
    case "medium":
      return "medium";
    case "info":
    case "low":
      return "low";
    default:
      return undefined;
  }
}

export interface AgentServiceDeps {
  database: Database;
  config: Pick<
    Config,
    | "AEGIS_LLM_CHAIN"
    | "MAX_REPLICAS"
    | "RESTART_BUDGET_PER_HOUR"
    | "MIN_CONFIDENCE"
    | "PROTECTED_TARGETS"
    | "AEGIS_LLM_COUNCIL_REVIEW"
    | "AEGIS_LLM_TIMEOUT_SECS"
    | "PROMETHEUS_URL"
    | "JIRA_BASE_URL"
    | "AEGIS_EMBEDDINGS_URL"
    | "AEGIS_EMBEDDINGS_MODEL"
    | "PIPELINE_CONCURRENCY"
  >;
  analysis: Pick<AnalysisEngine, "providers" | "tools"> & { copilot: Pick<AnalysisEngine["copilot"], "analyze"> };
  executor: Pick<Executor, "kind" | "targets">;
  knowledge: Pick<KnowledgeBase, "list">;
  knowledgeSearch: Pick<KnowledgeSearch, "search">;
  resource: Pick<IncidentResource, "idOf">;
  incidents: IncidentStore;
  insights: InsightsStore;
  settings: InsightSettingsStore;
  clock?: () => Date;
}

/**
 * Seed 003's `/api/v1/agent/*`: what the agent is (providers in the chain and their recent health,
 * executor, tools, prompts), what it is doing (queue, last decisions), what it knows and how well it
 * does (feedback and reopened fixes over time). Everything is read from configuration and stored rows.
 */
export class AgentService {
  private readonly clock: () => Date;

  constructor(private readonly d: AgentServiceDeps) {
    this.clock = d.clock ?? (() => new Date());
  }

  async status(projectId: string) {
    const db = this.d.database.db;
    const since = new Date(this.clock().getTime() - HOUR);
    const [health, jobs, decisions] = await Promise.all([
      this.d.insights.providerHealth(db, projectId, since),
      this.d.insights.jobStates(db),
      this.d.insights.lastDecisions(db, projectId, 10),
    ]);
    const byProvider = new Map(health.map((h) => [h.provider, h]));
    const chain = [
      ...this.d.analysis.providers.map((p) => ({ name: p.kind, model: p.model })),
      { name: "builtin", model: "builtin" },
    ];
    const providers = chain.map((p, i) => {
      const h = byProvider.get(p.name);
      const status =
        p.name === "builtin"
          ? "available"
          : !h
            ? "idle"
            : h.lastOk
              ? h.failures > 0
                ? "degraded"
                : "healthy"
              : "failing";
      return {
        name: p.name,
        model: p.model,
        position: i + 1,
        status,
        last_hour: h
          ? {
              calls: h.calls,
              failures: h.failures,
              error_rate: ratio(h.failures, h.calls),
              mean_latency_ms: h.meanLatencyMs,
              last_call_at: h.lastAt.toISOString(),
              last_error: h.lastError,
            }
          : { calls: 0, failures: 0, error_rate: null, mean_latency_ms: null, last_call_at: null, last_error: null },
      };
    });
    const queue = Object.fromEntries(jobs.map((j) => [j.key, j.n]));
    const failing = providers.filter((p) => p.status === "failing").length;
    return {
      status: failing === 0 ? "operational" : failing < providers.length - 1 ? "degraded" : "fallback_only",
      providers,
      pipeline: {
        queued: queue.queued ?? 0,
        running: queue.running ?? 0,
        awaiting_approval: queue.waiting ?? 0,
        concurrency: this.d.config.PIPELINE_CONCURRENCY,
      },
      last_decisions: decisions.map((x) => ({
        incident_id: x.id,
        reference: `INC-${x.number}`,
        alert_type: x.alertType,
        action: x.action,
        verdict: x.verdict,
        summary: x.summary,
        automation_status: x.status,
        provider: x.provider,
        at: x.at.toISOString(),
      })),
      checked_at: this.clock().toISOString(),
    };
  }

  /** Seed 001's analysis engine on a stored incident (by id or reference) or on an alert given inline. */
  async analyze(
    projectId: string,
    input: AgentAnalyzeInput,
  ): Promise<AnalyzeResponse & { incident_id: string | null; reference: string | null }> {
    let req: AnalyzeRequest;
    let incident: { id: string; reference: string } | null = null;
    if (input.incident_id) {
      const id = await this.d.resource.idOf(projectId, input.incident_id);
      const row = await this.d.incidents.getRow(this.d.database.db, projectId, id);
      if (!row) throw new Error(`incident ${id} disappeared`);
      const description = [row.title ?? row.alertType, row.description].filter(Boolean).join(": ");
      const severity = copilotSeverity(row.severity);
      const service = row.service ?? row.containerName;
      incident = { id, reference: `INC-${row.number}` };
      req = {
        incident_description: description.padEnd(10, "."),
        incident_id: `INC-${row.number}`,
        logs: row.logs,
        context: { ...(service ? { service } : {}), ...(severity ? { severity } : {}) },
      };
    } else {
      const severity = copilotSeverity(input.severity);
      req = {
        incident_description: (input.alert_type ?? "").padEnd(10, "."),
        logs: input.logs,
        context: { ...(input.service ? { service: input.service } : {}), ...(severity ? { severity } : {}) },
      };
    }
    const answer = await this.d.analysis.copilot.analyze(req);
    return { incident_id: incident?.id ?? null, reference: incident?.reference ?? null, ...answer };
  }

  capabilities() {
    const c = this.d.config;
    return {
      actions: ActionType.options.map((a) => ({
        action: a,
        executed_by: a === "NOOP" ? "none" : this.d.executor.kind,
        limits:
          a === "RESTART"
            ? { restarts_per_target_per_hour: c.RESTART_BUDGET_PER_HOUR }
            : a === "SCALE_UP"
              ? { max_replicas: c.MAX_REPLICAS }
              : {},
      })),
      executor: { kind: this.d.executor.kind, targets: this.d.executor.targets() },
      providers: [
        ...this.d.analysis.providers.map((p) => ({
          name: p.kind,
          model: p.model,
          timeout_seconds: c.AEGIS_LLM_TIMEOUT_SECS,
        })),
        { name: "builtin", model: "builtin", timeout_seconds: null },
      ],
      tools: this.d.analysis.tools.map((t) => ({ name: t.name, description: t.description })),
      council: {
        roles: ["SRE_AGENT", "SECURITY_OFFICER", "AUDITOR"],
        min_confidence: c.MIN_CONFIDENCE,
        protected_targets: c.PROTECTED_TARGETS,
        model_review: this.d.analysis.providers.length > 0 && c.AEGIS_LLM_COUNCIL_REVIEW !== "off",
      },
      integrations: {
        prometheus: c.PROMETHEUS_URL ? "configured" : "not_configured",
        jira: c.JIRA_BASE_URL ? "configured" : "not_configured",
        embeddings: c.AEGIS_EMBEDDINGS_URL
          ? `configured (${c.AEGIS_EMBEDDINGS_MODEL})`
          : "not_configured (lexical retrieval only)",
      },
    };
  }

  async knowledgeBase(projectId: string, query: string | undefined, limit: number) {
    const db = this.d.database.db;
    const [counts, learned, found] = await Promise.all([
      this.d.insights.knowledgeCounts(db, projectId),
      this.d.knowledge.list(projectId),
      query ? this.d.knowledgeSearch.search(projectId, query, limit) : Promise.resolve(null),
    ]);
    const recent = [...learned]
      .sort((a, b) => (b.resolved_at ?? "").localeCompare(a.resolved_at ?? ""))
      .slice(0, limit)
      .map((e) => ({
        incident_id: e.incident_id,
        alert_type: e.alert_type,
        service: e.container_name,
        root_cause: e.root_cause,
        action: e.action,
        outcome: e.outcome ?? "RESOLVED",
        confidence: e.confidence,
        resolved_at: e.resolved_at,
      }));
    return {
      counts: {
        learned_incidents: counts.outcomes.reduce((s, o) => s + o.n, 0),
        by_outcome: Object.fromEntries(counts.outcomes.map((o) => [o.key, o.n])),
        runbooks: counts.runbooks,
      },
      query: query ?? null,
      results: found ? found.items : null,
      no_good_match: found ? found.noGoodMatch : null,
      recent_learned: recent,
    };
  }

  /**
   * Per UTC week: the feedback people gave (helpful share, mean accuracy) and what became of learned
   * fixes (held, or reopened / rolled back / failed).
   */
  async learningMetrics(projectId: string, weeks: number) {
    const db = this.d.database.db;
    const from = new Date(this.clock().getTime() - weeks * WEEK);
    const [feedback, outcomes] = await Promise.all([
      this.d.settings.feedbackByWeek(db, projectId, from),
      this.d.settings.outcomesByWeek(db, projectId, from),
    ]);
    const byWeek = new Map<
      number,
      {
        week_start: string;
        feedback: number;
        helpful: number;
        helpful_rate: number | null;
        mean_accuracy: number | null;
        fixes_learned: number;
        fixes_held: number;
        fixes_reopened: number;
        fix_hold_rate: number | null;
      }
    >();
    const row = (w: Date) => {
      const k = w.getTime();
      let r = byWeek.get(k);
      if (!r) {
        r = {
          week_start: w.toISOString(),
          feedback: 0,
          helpful: 0,
          helpful_rate: null,
          mean_accuracy: null,
          fixes_learned: 0,
          fixes_held: 0,
          fixes_reopened: 0,
          fix_hold_rate: null,
        };
        byWeek.set(k, r);
      }
      return r;
    };
    for (const f of feedback) {
      const r = row(f.week);
      r.feedback = f.total;
      r.helpful = f.helpful;
      r.helpful_rate = ratio(f.helpful, f.total);
      r.mean_accuracy = f.accuracy === null ? null : Math.round(f.accuracy * 100) / 100;
    }
    for (const o of outcomes) {
      const r = row(o.week);
      r.fixes_learned += o.n;
      if (o.outcome === "RESOLVED") r.fixes_held += o.n;
      if (o.outcome === "REOPENED" || o.outcome === "ROLLED_BACK") r.fixes_reopened += o.n;
    }
    for (const r of byWeek.values()) r.fix_hold_rate = ratio(r.fixes_held, r.fixes_learned);
    const weeksList = [...byWeek.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    const total = weeksList.reduce((s, w) => s + w.feedback, 0);
    const helpful = weeksList.reduce((s, w) => s + w.helpful, 0);
    const learned = weeksList.reduce((s, w) => s + w.fixes_learned, 0);
    const held = weeksList.reduce((s, w) => s + w.fixes_held, 0);
    const reopened = weeksList.reduce((s, w) => s + w.fixes_reopened, 0);
    const rated = feedback.reduce((s, f) => s + f.rated, 0);
    const accuracySum = feedback.reduce((s, f) => s + (f.accuracy ?? 0) * f.rated, 0);
    return {
      weeks,
      totals: {
        feedback: total,
        helpful_rate: ratio(helpful, total),
        mean_accuracy: rated > 0 ? Math.round((accuracySum / rated) * 100) / 100 : null,
        fixes_learned: learned,
        fix_hold_rate: ratio(held, learned),
        reopened_rate: ratio(reopened, learned),
      },
      buckets: weeksList,
      notes: [
        ...(total === 0 ? ["no feedback was given in the period (POST /api/v1/agent/feedback)"] : []),
        ...(learned === 0 ? ["no fix was learned in the period"] : []),
      ],
    };
  }

  prompts(): PromptTemplate[] {
    return promptTemplates({ maxReplicas: this.d.config.MAX_REPLICAS, tools: this.d.analysis.tools.length > 0 }).map(
      (p) => ({
        name: p.name,
        used_by: p.usedBy,
        description: p.description,
        version: p.version,
        template: p.template,
      }),
    );
  }
}
