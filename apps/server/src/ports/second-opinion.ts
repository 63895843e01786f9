import type { ActionType } from "@aegis/contracts";
import type { AnalysisInput, IncidentCategory } from "./analyst.js";

/** The council's own diagnosis of an incident, made from the evidence alone. */
export interface IndependentReading {
  /** Who read it (e.g. `builtin`). */
  reader: string;
  category: IncidentCategory;
  /** What the reading itself would do. */
  action: ActionType;
  /** Actions the reading supports executing; NOOP is never listed and needs no support. */
  supportedActions: readonly ActionType[];
  /** Evidence-derived confidence in the diagnosis. */
  confidence: number;
  rootCause: string;
  /** Facts the reading rests on; the auditor counts these, not the proposer's. */
  evidence: readonly string[];
}

/**
 * Port: reads an incident's evidence (alert, logs, context) independently of the proposer, so the
 * council never has to take a model's word for what the incident is. Adapters must not see the
 * proposal.
 */
export interface SecondOpinion {
  read(incident: AnalysisInput, signal?: AbortSignal): Promise<IndependentReading>;
}
