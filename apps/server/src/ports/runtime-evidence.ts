/**
 * What an SRE looks at before touching a workload, gathered from the runtime itself (ADR 0019): the
 * `kubectl describe` view (conditions, container states and reasons, exit codes, restart counts),
 * recent events, the last log lines of the current and the previous container, node conditions.
 * Each part is text as the runtime's own tools print it, so analysts read it like any other log.
 */
export interface RuntimeEvidence {
  /** What the evidence is about ("Deployment shop/checkout"). */
  subject: string;
  describe: string;
  events: string;
  logs: string;
  /** The previous container instance's last lines (after a crash), "" when there was none. */
  previousLogs: string;
  nodeConditions: string;
  /** The workload's labels, for the safety module's label rules. */
  labels: Record<string, string>;
  /** Why no agent may act on this workload without a human (a StatefulSet), else null. */
  humanOnly: string | null;
}

/** Port: a runtime that can show what it knows about a target (the Kubernetes and Docker executors). */
export interface RuntimeEvidenceSource {
  /** Evidence about the target, or null when the runtime does not know it. Never acts on anything. */
  gatherEvidence(target: string, signal?: AbortSignal): Promise<RuntimeEvidence | null>;
}

/** The executor's evidence source when it has one (chosen at start-up like the executor itself). */
export function runtimeEvidenceOf(executor: object): RuntimeEvidenceSource | null {
  const candidate = executor as Partial<RuntimeEvidenceSource>;
  return typeof candidate.gatherEvidence === "function" ? (candidate as RuntimeEvidenceSource) : null;
}
