import type { AnalysisInput, AnalysisSink, Analyst } from "../../ports/analyst.js";
import type { IndependentReading, SecondOpinion } from "../../ports/second-opinion.js";

const SILENT: AnalysisSink = { thinking: () => undefined, token: () => undefined };

/**
 * The builtin analyst as the council's second opinion. It reads only what the alert sender and the
 * runtime provided (alert, logs, context): past incidents and runbooks are left out, because past
 * decisions may themselves have come from the model under review, and the reading must not depend
 * on what retrieval happened to return on this run.
 */
export class BuiltinSecondOpinion implements SecondOpinion {
  constructor(private readonly analyst: Analyst) {}

  async read(incident: AnalysisInput, signal?: AbortSignal): Promise<IndependentReading> {
    const r = await this.analyst.analyse({ ...incident, similar: [], runbooks: [] }, SILENT, signal);
    return {
      reader: r.provider,
      category: r.category,
      action: r.analysis.action,
      supportedActions: r.supportedActions ?? (r.analysis.action === "NOOP" ? [] : [r.analysis.action]),
      confidence: r.analysis.confidence,
      rootCause: r.analysis.root_cause,
      evidence: r.evidence,
    };
  }
}
