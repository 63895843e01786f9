import type { AnalysisInput } from "../ports/analyst.js";
import type { RuntimeEvidence } from "../ports/runtime-evidence.js";
import { salientLogs } from "./salient-logs.js";

/** Upper bound of the runtime evidence appended to an analyst's logs. */
export const RUNTIME_EVIDENCE_MAX_CHARS = 6000;

/**
 * The evidence as one text block in the runtime's own output formats, sections headed, within `maxChars`;
 * each section keeps its head, its tail and the salient lines between (never a blind cut).
 */
export function runtimeEvidenceText(e: RuntimeEvidence, maxChars = RUNTIME_EVIDENCE_MAX_CHARS): string {
  const share = Math.floor(maxChars / 5);
  const sections: [string, string][] = [
    ["describe", salientLogs(e.describe, share * 2)],
    ["events", salientLogs(e.events, share)],
    ["previous container logs", salientLogs(e.previousLogs, share)],
    ["current logs", salientLogs(e.logs, share / 2)],
    ["node conditions", salientLogs(e.nodeConditions, share / 2)],
  ];
  const body = sections
    .filter(([, text]) => text.trim() !== "")
    .map(([title, text]) => `--- ${title} ---\n${text.trimEnd()}`)
    .join("\n");
  return `=== runtime evidence: ${e.subject} ===\n${body}`;
}

/**
 * Adds what the runtime shows to an analyst's input: the text after the alert's logs (analysts and the
 * LLM read it like logs), the workload's labels into the context (the safety module's label rules), and
 * `protected` when the runtime says only a human may act (a StatefulSet), so the council asks one.
 */
export function withRuntimeEvidence(input: AnalysisInput, e: RuntimeEvidence): void {
  input.logs = `${input.logs}\n\n${runtimeEvidenceText(e)}`;
  const context = input.context ?? {};
  const declared = typeof context.labels === "object" && context.labels !== null ? context.labels : {};
  input.context = {
    ...context,
    labels: { ...e.labels, ...declared },
    ...(e.humanOnly ? { protected: true } : {}),
  };
}
