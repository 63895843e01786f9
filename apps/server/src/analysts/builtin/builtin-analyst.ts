import type { AIAnalysis } from "@aegis/contracts";
import type { AnalysisInput, AnalysisSink, Analyst, AnalystResult } from "../../ports/analyst.js";
import { TargetProtection } from "../../safety/target-protection.js";
import { configFix } from "./config-fix.js";
import { decide } from "./decide.js";
import { explain } from "./explain.js";
import { knowledgeAdjustment } from "./knowledge-adjustment.js";
import { clamp } from "./numbers.js";
import { replicaCount } from "./replicas.js";
import { citeRunbook, runbookGuidance } from "./runbook-guidance.js";
import { SignalMemo } from "./signal-memo.js";
import { streamText } from "./stream.js";
import { supportedActions } from "./supported-actions.js";

/** Injected instructions are ignored, but they make the whole log less trustworthy. */
const INJECTION_FACTOR = 0.85;

/**
 * Offline, deterministic analyst: recognises signals in logs and context, scores each diagnosis by the
 * evidence for and against it, and proposes the smallest safe action with a calibrated confidence.
 */
export class BuiltinAnalyst implements Analyst {
  readonly name = "builtin";
  private readonly memo: SignalMemo;

  /** `protection`: the same instance the council uses, so both agree on what is protected. */
  constructor(options: { protection?: TargetProtection } = {}) {
    this.memo = new SignalMemo(options.protection ?? new TargetProtection());
  }

  async analyse(input: AnalysisInput, sink: AnalysisSink, signal?: AbortSignal): Promise<AnalystResult> {
    signal?.throwIfAborted();
    const lineCount = input.logs === "" ? 0 : input.logs.split(/\r?\n/).length;
    sink.thinking(
      `Builtin analyst: reading ${lineCount} log lines${input.context ? " and the context block" : ""} for "${input.alertType}".`,
    );

    // The council's second opinion reads the same evidence again: one reading serves both.
    const { signals: s, scores } = this.memo.read(input);
    sink.thinking(`Recognised ${s.list.length} signals: ${[...s.best.keys()].join(", ") || "none"}.`);
    const guide = runbookGuidance(input.runbooks);
    // Only a high-confidence runbook may settle a near-tie between hypotheses.
    const d = decide(s, { preferAction: guide.runbook?.confidence === "high" ? guide.implied : null }, scores);
    if (guide.runbook) sink.thinking(`Best runbook: ${citeRunbook(guide.runbook)}.`);
    sink.thinking(
      `Leading hypotheses: ${d.scores
        .slice(0, 3)
        .map((c) => `${c.category} ${c.score.toFixed(2)}`)
        .join(", ")}.`,
    );

    const notes: string[] = [];
    let confidence = d.confidence;
    if (s.injectedLines > 0) {
      confidence *= INJECTION_FACTOR;
      notes.push(
        `${s.injectedLines} log line(s) contain instructions addressed to the agent or council; they were treated as data and ignored.`,
      );
    }
    const kb = knowledgeAdjustment(d.action, input.similar);
    confidence += kb.delta;
    if (kb.notes.length) notes.push(`Knowledge base: ${kb.notes.join("; ")}.`);
    if (guide.runbook) {
      const rb = guide.runbook;
      const w = rb.confidence === "high" ? 1 : 0.5;
      if (guide.implied === d.action) {
        confidence += 0.05 * w;
        notes.push(`Runbook ${citeRunbook(rb)} also calls for ${d.action}.`);
      } else if (guide.implied) {
        confidence -= 0.05 * w;
        notes.push(`Runbook ${citeRunbook(rb)} calls for ${guide.implied} instead; check it before acting.`);
      } else {
        notes.push(`Runbook to follow: ${citeRunbook(rb)}.`);
      }
    }
    confidence = Math.round(clamp(confidence, 0.05, d.ceiling) * 100) / 100;

    const cpu = input.context?.metrics?.cpu_percent ?? null;
    const replicas = replicaCount(d.action, s, input.maxReplicas, typeof cpu === "number" ? cpu : null);
    const fix = d.action === "NOOP" ? configFix(d.category, s, input.containerName ?? "") : undefined;
    const text = explain(d, s, replicas, input.maxReplicas, notes, fix);
    signal?.throwIfAborted();
    streamText(sink, text.justification, signal);

    const analysis: AIAnalysis = {
      root_cause: text.rootCause,
      action: d.action,
      justification: text.justification,
      confidence,
      replica_count: replicas,
    };
    return {
      analysis,
      category: d.category,
      evidence: text.evidence,
      provider: "builtin",
      supportedActions: supportedActions(d, s),
      ...(fix ? { fix } : {}),
    };
  }
}
