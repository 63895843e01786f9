import { runtimeEvidenceText } from "../../evidence/runtime-evidence-text.js";
import { salientLogs } from "../../evidence/salient-logs.js";
import type { Citation } from "../../ports/analysis-records.js";
import type { AnalysisInput } from "../../ports/analyst.js";
import type { Executor } from "../../ports/executor.js";
import type { KnowledgeBase } from "../../ports/knowledge-base.js";
import { runtimeEvidenceOf } from "../../ports/runtime-evidence.js";
import type { InvestigationTrace } from "./analysis-detail.js";
import type { LlmToolCall, LlmToolSpec } from "./llm-provider.js";
import type { Redactor } from "./redactor.js";

/** A runbook document found for a query (the knowledge engineer's runbook index plugs in here). */
export interface RunbookDoc {
  id: string;
  title: string;
  excerpt: string;
  score: number;
}

export interface RunbookFinder {
  search(projectId: string, query: string, limit: number): Promise<RunbookDoc[]>;
}

export interface InvestigatorDeps {
  knowledge: KnowledgeBase;
  executor: Executor;
  redactor: Redactor;
  /** Runbook documents; unset, `search_runbooks` searches the learned incidents (seed 000 runbook). */
  runbooks?: RunbookFinder | undefined;
  prometheusUrl?: string | undefined;
  /** Bound of one tool call. */
  toolTimeoutMs?: number;
  projectId: string;
}

export interface ToolOutcome {
  name: string;
  ok: boolean;
  /** What the model sees: redacted, bounded JSON or text. */
  content: string;
  citations: Citation[];
}

const MAX_RESULT_CHARS = 4000;
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

/**
 * The investigation tools a model may call. Every result is redacted and bounded before the model
 * sees it, and every fact it returns is recorded as a citation.
 */
export class Investigator {
  constructor(private readonly d: InvestigatorDeps) {}

  specs(): LlmToolSpec[] {
    const specs: LlmToolSpec[] = [
      {
        name: "search_runbooks",
        description: "Search runbooks and learned fixes for a free-text query. Returns titles and excerpts.",
        parameters: obj({ query: { type: "string" }, limit: { type: "integer", minimum: 1, maximum: 5 } }, ["query"]),
      },
      {
        name: "similar_incidents",
        description:
          "Past incidents most similar to a query (default: this alert and logs), with their fix and outcome.",
        parameters: obj({ query: { type: "string" } }),
      },
      {
        name: "container_logs",
        description: "Latest output lines of a managed service (default: the incident's target).",
        parameters: obj({ target: { type: "string" }, lines: { type: "integer", minimum: 1, maximum: 200 } }),
      },
      {
        name: "container_metrics",
        description: "Current CPU, memory, network and uptime of the managed services (optionally one target).",
        parameters: obj({ target: { type: "string" } }),
      },
      {
        name: "recent_deploys",
        description: "Deploys recorded in the incident's context, newest first.",
        parameters: obj({}),
      },
    ];
    if (runtimeEvidenceOf(this.d.executor)) {
      specs.push({
        name: "runtime_state",
        description:
          "What the runtime shows about a managed service (default: the incident's target), like kubectl describe / docker inspect: state, last termination reason and exit code, events, the previous container's logs, node conditions.",
        parameters: obj({ target: { type: "string" } }),
      });
    }
    if (this.d.prometheusUrl) {
      specs.push({
        name: "prometheus_query",
        description: "Run an instant PromQL query against Prometheus.",
        parameters: obj({ query: { type: "string" } }, ["query"]),
      });
    }
    return specs;
  }

  /** Run one tool call; failures become a result the model can read, and are traced. */
  async call(call: LlmToolCall, input: AnalysisInput, trace: InvestigationTrace, signal: AbortSignal) {
    const timeout = AbortSignal.timeout(this.d.toolTimeoutMs ?? 5000);
    const both = AbortSignal.any([signal, timeout]);
    let outcome: ToolOutcome;
    try {
      const args = parseArgs(call.arguments);
      const run = this.run(call.name, args, input, trace, both);
      const aborted = new Promise<never>((_, reject) => {
        both.addEventListener("abort", () => reject(new Error("tool timed out")), { once: true });
      });
      const { content, citations } = await Promise.race([run, aborted]);
      outcome = { name: call.name, ok: true, content: this.bound(content), citations };
      trace.toolsCompleted.push(call.name);
    } catch (err) {
      outcome = {
        name: call.name,
        ok: false,
        content: JSON.stringify({ error: err instanceof Error ? err.message : String(err) }),
        citations: [],
      };
      trace.toolsFailed.push(call.name);
    }
    return outcome;
  }

  /** Redacted, then condensed like the alert's own logs: head, tail and the salient lines between. */
  private bound(text: string): string {
    return salientLogs(this.d.redactor.clean(text), MAX_RESULT_CHARS);
  }

  private async run(
    name: string,
    args: Record<string, unknown>,
    input: AnalysisInput,
    trace: InvestigationTrace,
    signal: AbortSignal,
  ): Promise<{ content: string; citations: Citation[] }> {
    const now = new Date().toISOString();
    const cite = (source: string, reference: string, excerpt: string, timestamp = now): Citation => ({
      source,
      reference,
      excerpt: this.d.redactor.clean(excerpt).slice(0, 300),
      timestamp,
    });
    const defaultQuery = `${input.alertType}\n${input.logs}`;
    switch (name) {
      case "search_runbooks": {
        const query = str(args.query) ?? defaultQuery;
        const limit = int(args.limit, 1, 5, 3);
        if (this.d.runbooks) {
          const hits = await this.d.runbooks.search(this.d.projectId, query, limit);
          trace.runbooksRetrieved += hits.length;
          return {
            content: JSON.stringify(hits),
            citations: hits.map((h) => cite("runbook", `runbook:${h.id} ${h.title}`, h.excerpt)),
          };
        }
        const hits = await this.d.knowledge.similar(this.d.projectId, query, limit);
        trace.runbooksRetrieved += hits.length;
        return {
          content: JSON.stringify(hits.map(({ logs: _logs, ...h }) => h)),
          citations: hits.map((h) =>
            cite("runbook", `runbook:${h.incident_id}`, `${h.alert_type}: ${h.root_cause} → ${h.action}`),
          ),
        };
      }
      case "similar_incidents": {
        const hits = await this.d.knowledge.similar(this.d.projectId, str(args.query) ?? defaultQuery, 3);
        return {
          content: JSON.stringify(hits.map((h) => ({ ...h, logs: h.logs.slice(0, 300) }))),
          citations: hits.map((h) =>
            cite(
              "incident_history",
              `incident:${h.incident_id} (similarity ${h.similarity_score.toFixed(2)})`,
              `${h.root_cause} → ${h.action} (${h.outcome ?? "RESOLVED"})`,
            ),
          ),
        };
      }
      case "container_logs": {
        const target = str(args.target) ?? input.containerName ?? this.d.executor.targets()[0];
        if (!target || !this.d.executor.has(target)) throw new Error(`unknown target ${target ?? "(none)"}`);
        const lines = int(args.lines, 1, 200, 50);
        const text = await this.d.executor.logs(target, lines);
        signal.throwIfAborted();
        const all = text.split("\n").filter(Boolean);
        const notable = all.filter((l) => /error|fatal|panic|exception|fail|oom|killed/i.test(l)).pop() ?? all.pop();
        return {
          content: text || "(no output)",
          citations: notable ? [cite("logs", `container_logs ${target} --tail ${lines}`, notable)] : [],
        };
      }
      case "runtime_state": {
        const source = runtimeEvidenceOf(this.d.executor);
        if (!source) throw new Error("the runtime has no state to show");
        const target = str(args.target) ?? input.containerName ?? this.d.executor.targets()[0];
        if (!target || !this.d.executor.has(target)) throw new Error(`unknown target ${target ?? "(none)"}`);
        const evidence = await source.gatherEvidence(target, signal);
        if (!evidence) return { content: `The runtime does not know ${target}.`, citations: [] };
        const text = runtimeEvidenceText(evidence, MAX_RESULT_CHARS * 2);
        const reason = /Reason:\s+\S+.*|Exit Code:\s+\d+|Warning\s+\S+.*/.exec(text)?.[0];
        return {
          content: text,
          citations: [cite("runtime", `runtime_state ${evidence.subject}`, reason ?? evidence.subject)],
        };
      }
      case "container_metrics": {
        const target = str(args.target);
        const all = await this.d.executor.metrics();
        const rows = target ? all.filter((m) => m.name === target || m.name.startsWith(`${target}-`)) : all;
        return {
          content: JSON.stringify(rows),
          citations: rows.map((m) =>
            cite(
              "metrics",
              `container_metrics ${m.name}`,
              `cpu ${m.cpu_percent.toFixed(1)}%, memory ${m.memory_mb.toFixed(0)} MB (${m.memory_percent.toFixed(1)}%), ${m.status}, up ${Math.round(m.uptime_seconds)} s`,
            ),
          ),
        };
      }
      case "recent_deploys": {
        const deploys = [...(input.context?.recent_deploys ?? [])].sort((a, b) => b.at.localeCompare(a.at));
        return {
          content: deploys.length > 0 ? JSON.stringify(deploys) : "No deploys recorded in the incident context.",
          citations: deploys.map((dep) =>
            cite(
              "deploy_history",
              `deploy ${dep.version}`,
              `${dep.previous ?? "?"} → ${dep.version}${dep.change ? `: ${dep.change}` : ""}`,
              dep.at,
            ),
          ),
        };
      }
      case "prometheus_query": {
        if (!this.d.prometheusUrl) throw new Error("Prometheus is not configured");
        const query = str(args.query);
        if (!query) throw new Error("query is required");
        const url = `${this.d.prometheusUrl.replace(/\/$/, "")}/api/v1/query?query=${encodeURIComponent(query)}`;
        const res = await fetch(url, { signal });
        const body = await res.text();
        if (!res.ok) throw new Error(`Prometheus answered HTTP ${res.status}`);
        return { content: body, citations: [cite("prometheus", `PromQL: ${query}`, body.slice(0, 300))] };
      }
      default:
        throw new Error(`unknown tool ${name}`);
    }
  }
}

function parseArgs(raw: string): Record<string, unknown> {
  if (!raw.trim()) return {};
  const v = JSON.parse(raw);
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("arguments must be a JSON object");
  return v as Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
const int = (v: unknown, min: number, max: number, dflt: number) =>
  typeof v === "number" && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : dflt;
