import { randomBytes } from "node:crypto";
import type { AnalyzeRequest, AnalyzeResponse } from "@aegis/contracts";
import type { AnalysisRecords, Citation } from "../../ports/analysis-records.js";
import type { AnalysisInput, AnalysisSink } from "../../ports/analyst.js";
import type { EventBus } from "../../ports/event-bus.js";
import type { KnowledgeBase } from "../../ports/knowledge-base.js";
import { TimeoutError } from "../../shared/errors.js";
import type { AnalysisChain } from "./analysis-chain.js";
import { emptyTrace } from "./analysis-detail.js";
import type { RunbookFinder } from "./investigator.js";

export interface CopilotAnalyzerOptions {
  chain: AnalysisChain;
  knowledge: KnowledgeBase;
  runbooks: RunbookFinder | null;
  records: AnalysisRecords | null;
  projectId: string;
  maxReplicas: number;
  /** Time budget of one request; past it the answer is a TimeoutError with the partial results. */
  budgetMs: number;
  /** Where stored hypotheses are announced (seed 002's `hypotheses` channel); unset, nothing is. */
  bus?: EventBus | undefined;
}

const SILENT: AnalysisSink = { thinking: () => undefined, token: () => undefined };
const SEVERITY = { critical: "CRITICAL", high: "CRITICAL", medium: "WARNING", low: "INFO" } as const;

/**
 * Seed 001's analysis of an incident description: the same chain as the pipeline (providers, tools,
 * fallback, cache, usage) with its answer shaped as a hypothesis, next actions, commands, citations
 * and related incidents.
 */
export class CopilotAnalyzer {
  constructor(private readonly o: CopilotAnalyzerOptions) {}

  /** Seed 001's analysis for a caller of `projectId` (its knowledge, runbooks and accounting). */
  /**
   * `incidentIdOf` names the stored incident an `incident_id` (an `INC-<n>` reference) stands for, or
   * null when the project has none: its hypotheses are then kept under that incident's own id.
   */
  async analyze(
    req: AnalyzeRequest,
    projectId: string = this.o.projectId,
    incidentIdOf: (ref: string) => Promise<string | null> = async () => null,
  ): Promise<AnalyzeResponse> {
    const t0 = performance.now();
    const requestId = `req_${randomBytes(8).toString("hex")}`;
    const opts = {
      include_commands: req.options?.include_commands ?? true,
      max_citations: req.options?.max_citations ?? 5,
      include_related_incidents: req.options?.include_related_incidents ?? true,
    };
    const trace = emptyTrace();
    const budget = AbortSignal.timeout(this.o.budgetMs);
    const timedOut = () =>
      new TimeoutError(`Request exceeded ${this.o.budgetMs / 1000} second timeout`, {
        partial_results: { tools_completed: [...trace.toolsCompleted], tools_failed: [...trace.toolsFailed] },
      });

    const description = req.incident_description;
    const query = `${description}\n${req.logs ?? ""}`;
    const [similar, runbooks] = await Promise.all([
      this.o.knowledge.similar(projectId, query, 3),
      this.o.runbooks ? this.o.runbooks.search(projectId, query, 5) : Promise.resolve([]),
    ]);
    trace.toolsCompleted.push("similar_incidents");
    if (this.o.runbooks) trace.toolsCompleted.push("search_runbooks");
    const now = new Date().toISOString();
    const runbookCitations: Citation[] = runbooks.map((r) => ({
      source: "runbook",
      reference: `runbook:${r.id} ${r.title}`,
      excerpt: r.excerpt.slice(0, 300),
      timestamp: now,
    }));
    const ctx = req.context ?? {};
    const input: AnalysisInput = {
      incidentId: req.incident_id ?? requestId,
      projectId,
      alertType: firstLine(description),
      logs: req.logs ?? description,
      containerName: ctx.service ?? null,
      severity: ctx.severity ? SEVERITY[ctx.severity] : null,
      context: Object.keys(ctx).length > 0 ? { ...ctx } : null,
      similar,
      maxReplicas: this.o.maxReplicas,
    };
    let result: Awaited<ReturnType<AnalysisChain["run"]>>;
    try {
      result = await this.o.chain.run(input, SILENT, budget, {
        requestType: "analyze",
        incidentId: req.incident_id ?? null,
        projectId,
        trace,
        cache: "all",
        extraContext: req.logs ? `Incident description: ${description}` : undefined,
      });
    } catch (err) {
      if (budget.aborted) throw timedOut();
      throw err;
    }
    if (req.incident_id) {
      const incidentId = (await incidentIdOf(req.incident_id)) ?? req.incident_id;
      await this.o.records?.save(projectId, incidentId, result.provider, result.hypotheses, result.citations);
      const top = result.hypotheses[0];
      this.o.bus?.publish(projectId, "analysis.hypotheses", incidentId, {
        incident_id: incidentId,
        count: result.hypotheses.length,
        top_hypothesis: top ? { claim: top.claim, confidence_score: top.confidence } : null,
      });
    }
    const latency = Math.round(performance.now() - t0);
    const tools = [...new Set(trace.toolsCompleted)];
    return {
      request_id: requestId,
      timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      latency_ms: latency,
      result: {
        hypothesis: result.analysis.root_cause,
        confidence: result.analysis.confidence,
        next_actions: result.nextActions,
        commands: opts.include_commands ? result.commands : [],
        citations: mergeCitations(result.citations, runbookCitations).slice(0, opts.max_citations),
        related_incidents: opts.include_related_incidents
          ? similar.map((s) => ({
              incident_id: s.incident_id,
              similarity_score: s.similarity_score,
              resolution: `${s.action}: ${s.root_cause}${s.outcome && s.outcome !== "RESOLVED" ? ` (${s.outcome})` : ""}`,
            }))
          : [],
        action: result.analysis.action,
        hypotheses: result.hypotheses.map((h) => ({
          rank: h.rank,
          claim: h.claim,
          description: h.description,
          confidence_score: h.confidence,
          confidence_lower: h.confidenceLower,
          confidence_upper: h.confidenceUpper,
          supporting_evidence: h.supportingEvidence,
          contradicting_evidence: h.contradictingEvidence,
        })),
      },
      metadata: {
        tools_used: tools,
        runbooks_retrieved: runbooks.length + similar.length + trace.runbooksRetrieved,
        cache_hit: result.cacheHit,
        latency_ms: latency,
        provider: result.provider.split(" ")[0] ?? result.provider,
        providers_failed: result.failures,
      },
    };
  }
}

function firstLine(s: string): string {
  const line = s.trim().split("\n")[0] ?? s;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** The analysis's own citations first, then retrieved runbooks it did not already cite. */
function mergeCitations(own: Citation[], runbooks: Citation[]): Citation[] {
  const seen = new Set(own.map((c) => c.reference));
  return [...own, ...runbooks.filter((c) => !seen.has(c.reference))];
}
