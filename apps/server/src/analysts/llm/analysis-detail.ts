import type { Citation, Hypothesis } from "../../ports/analysis-records.js";
import type { AnalystResult } from "../../ports/analyst.js";

export interface NextAction {
  action: string;
  priority: "high" | "medium" | "low";
  estimated_time: string;
  rationale: string;
}

export interface SuggestedCommand {
  description: string;
  command: string;
  /** Decided by AegisOps (read-only commands), never by the model. */
  safe_to_run: boolean;
}

/** Which investigation tools ran, for the answer's metadata and a timed-out request's partial results. */
export interface InvestigationTrace {
  toolsCompleted: string[];
  toolsFailed: string[];
  /** Retrieved runbook or knowledge documents. */
  runbooksRetrieved: number;
}

export function emptyTrace(): InvestigationTrace {
  return { toolsCompleted: [], toolsFailed: [], runbooksRetrieved: 0 };
}

/** An analyst's answer with everything behind it: hypotheses, citations, next steps. */
export interface DetailedResult extends AnalystResult {
  hypotheses: Hypothesis[];
  citations: Citation[];
  nextActions: NextAction[];
  commands: SuggestedCommand[];
  /** Provider attempts that failed before this answer, in order. */
  failures: { provider: string; reason: string }[];
  /** Set when the answer was reused from the analysis cache. */
  cacheHit: boolean;
}
