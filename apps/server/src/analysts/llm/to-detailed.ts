import type { AIAnalysis } from "@aegis/contracts";
import type { Citation, Hypothesis } from "../../ports/analysis-records.js";
import type { DetailedResult } from "./analysis-detail.js";
import { isReadOnlyCommand } from "./command-safety.js";
import type { DiagnosisOutput } from "./diagnosis-schema.js";
import type { Redactor } from "./redactor.js";

const round2 = (n: number) => Math.round(n * 100) / 100;
const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

/** A validated model answer as the engine's result: ranked hypotheses with sane intervals, checked commands. */
export function toDetailed(
  d: DiagnosisOutput,
  provider: string,
  citations: Citation[],
  redactor: Redactor,
): DetailedResult {
  const clean = (s: string) => redactor.clean(s);
  const analysis: AIAnalysis = {
    root_cause: clean(d.root_cause),
    action: d.action,
    justification: clean(d.justification),
    confidence: round2(d.confidence),
    replica_count: d.replica_count,
  };
  const raw =
    d.hypotheses.length > 0
      ? d.hypotheses
      : [
          {
            claim: d.root_cause,
            description: d.justification,
            confidence: d.confidence,
            supporting_evidence: d.evidence,
            contradicting_evidence: [],
          },
        ];
  const hypotheses: Hypothesis[] = [...raw]
    .sort((a, b) => b.confidence - a.confidence)
    .map((h, i) => {
      const c = clamp01(h.confidence);
      return {
        rank: i + 1,
        claim: clean(h.claim),
        description: clean(h.description),
        confidence: round2(c),
        confidenceLower: round2(Math.min(c, h.confidence_lower ?? clamp01(c - 0.1))),
        confidenceUpper: round2(Math.max(c, h.confidence_upper ?? clamp01(c + 0.1))),
        supportingEvidence: h.supporting_evidence.map(clean),
        contradictingEvidence: h.contradicting_evidence.map(clean),
      };
    });
  return {
    analysis,
    category: d.category,
    evidence: d.evidence.map(clean),
    provider,
    hypotheses,
    citations,
    nextActions: d.next_actions.map((a) => ({ ...a, action: clean(a.action), rationale: clean(a.rationale) })),
    commands: d.commands.map((c) => ({
      description: clean(c.description),
      command: clean(c.command),
      safe_to_run: isReadOnlyCommand(c.command),
    })),
    failures: [],
    cacheHit: false,
  };
}
