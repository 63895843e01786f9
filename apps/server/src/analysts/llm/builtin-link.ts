import type { Citation } from "../../ports/analysis-records.js";
import type { AnalysisInput, AnalysisSink, Analyst } from "../../ports/analyst.js";
import { chunks } from "../builtin/stream.js";
import type { DetailedResult } from "./analysis-detail.js";
import type { Redactor } from "./redactor.js";
import { playbookFor } from "./remediation-playbook.js";

/** The offline analyst as the chain's last link, its answer completed with hypotheses, citations and next steps. */
export class BuiltinLink {
  readonly name = "builtin";

  constructor(
    private readonly analyst: Analyst,
    private readonly redactor: Redactor,
  ) {}

  async analyse(input: AnalysisInput, sink: AnalysisSink, signal: AbortSignal): Promise<DetailedResult> {
    const clean = (s: string) => this.redactor.clean(s);
    // The builtin analyst quotes log lines; what it shows and stores is redacted like a model's input.
    // Its words are redacted as the whole text they form, then streamed: redacted one by one, a secret
    // split across two of them ("password: " then "hunter2") went out in the stream as it was.
    let held = "";
    const flush = () => {
      if (held === "") return;
      const text = clean(held);
      held = "";
      for (const piece of chunks(text)) sink.token(piece);
    };
    const shown: AnalysisSink = {
      thinking: (m) => {
        flush();
        sink.thinking(clean(m));
      },
      token: (c) => {
        held += c;
      },
    };
    const raw = await this.analyst.analyse(input, shown, signal);
    flush();
    const r = {
      ...raw,
      analysis: {
        ...raw.analysis,
        root_cause: clean(raw.analysis.root_cause),
        justification: clean(raw.analysis.justification),
      },
      evidence: raw.evidence.map(clean),
    };
    const a = r.analysis;
    const now = new Date().toISOString();
    const notable = input.logs
      .split("\n")
      .filter((l) => /error|fatal|panic|exception|fail|oom|killed|timeout/i.test(l))
      .slice(-2);
    const citations: Citation[] = [
      ...notable.map((line) => ({
        source: "logs",
        reference: `alert logs of ${input.incidentId}`,
        excerpt: clean(line).slice(0, 300),
        timestamp: input.alertTimestamp ?? now,
      })),
      ...input.similar.map((s) => ({
        source: "incident_history",
        reference: `incident:${s.incident_id} (similarity ${s.similarity_score.toFixed(2)})`,
        excerpt: clean(`${s.root_cause} → ${s.action} (${s.outcome ?? "RESOLVED"})`).slice(0, 300),
        timestamp: now,
      })),
    ];
    const play = playbookFor(
      a.action,
      input.containerName ?? input.context?.service ?? "service",
      a.replica_count,
      a.root_cause,
      r.fix,
    );
    return {
      ...r,
      hypotheses: [
        {
          rank: 1,
          // Cleaned above already (each text is redacted once).
          claim: a.root_cause,
          description: a.justification,
          confidence: a.confidence,
          confidenceLower: Math.max(0, Math.round((a.confidence - 0.1) * 100) / 100),
          confidenceUpper: Math.min(1, Math.round((a.confidence + 0.1) * 100) / 100),
          supportingEvidence: [...r.evidence],
          contradictingEvidence: [],
        },
      ],
      citations,
      nextActions: play.nextActions,
      commands: play.commands,
      failures: [],
      cacheHit: false,
    };
  }
}
