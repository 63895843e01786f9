import type { ActionType, AIAnalysis, IncidentContext, RetrievedIncident } from "@aegis/contracts";
import type { RunbookMatch } from "./knowledge-base.js";

/** What an analyst sees about one incident. Logs are already truncated to LOG_TRUNCATE_CHARS. */
export interface AnalysisInput {
  incidentId: string;
  /** The incident's project: its hypotheses and model calls are filed there. Absent: the server's default project. */
  projectId?: string | undefined;
  alertType: string;
  logs: string;
  containerName: string | null;
  severity: string | null;
  context: IncidentContext | null;
  /** Similar past incidents from the knowledge base, best first, each with its outcome. */
  similar: RetrievedIncident[];
  /** Best runbook documents for the incident, best first; `confidence` "low" is no good match. */
  runbooks?: RunbookMatch[];
  /** The alert's own timestamp (ISO 8601) when the sender gave one. */
  alertTimestamp?: string | null;
  /** Upper bound for replica_count (MAX_REPLICAS). */
  maxReplicas: number;
}

/** Where an analyst streams its reasoning while it works (becomes ai.thinking / ai.stream frames). */
export interface AnalysisSink {
  thinking(message: string): void;
  token(chunk: string): void;
}

/**
 * Diagnosis categories the analysts recognise. The Kubernetes/infrastructure ones (scheduling_failure …
 * healthy) are fixed by a change to the spec or the cluster, never by RESTART/SCALE/ROLLBACK: their
 * action is NOOP and the analysis names the change (AnalystResult.fix).
 */
export const INCIDENT_CATEGORIES = [
  "memory_leak",
  "cpu_runaway",
  "traffic_surge",
  "bad_deploy",
  "db_latency",
  "dependency_outage",
  "disk_full",
  "crashloop_config",
  "cert_expiry",
  "scheduling_failure",
  "start_failure",
  "resource_limit",
  "probe_failure",
  "node_pressure",
  "network_failure",
  "missing_resource",
  "job_failure",
  "operation_blocked",
  "app_error",
  "healthy",
  "over_provisioned",
  "noise",
  "unknown",
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** An analyst's answer: the seed's AIAnalysis plus the evidence behind it, for the council. */
export interface AnalystResult {
  analysis: AIAnalysis;
  category: IncidentCategory;
  /** Short human-readable facts that support the diagnosis ("full GC reclaims <1%"). */
  evidence: string[];
  /** Which analyst produced it (builtin, openai:model, …). */
  provider: string;
  /**
   * Actions the diagnosis supports executing, from the analyst's own reading of the evidence (the
   * builtin analyst fills it; the council uses it as its independent second opinion). Empty: none.
   */
  supportedActions?: ActionType[];
  /** The configuration change that fixes the diagnosis when no runtime action does (raise a limit, fix an image). */
  fix?: ConfigFix;
}

/** A change for a human to make; its command is never run automatically. */
export interface ConfigFix {
  description: string;
  command: string;
}

/** Port: turns an incident into a proposed remediation. */
export interface Analyst {
  readonly name: string;
  analyse(input: AnalysisInput, sink: AnalysisSink, signal?: AbortSignal): Promise<AnalystResult>;
}
