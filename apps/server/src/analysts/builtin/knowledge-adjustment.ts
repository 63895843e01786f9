import type { ActionType, RetrievedIncident } from "@aegis/contracts";
import { ramp } from "./numbers.js";

export interface KnowledgeAdjustment {
  delta: number;
  notes: string[];
}

const BAD_OUTCOMES = new Set(["FAILED", "REOPENED", "ROLLED_BACK"]);

/**
 * Past incidents shift confidence, never the action: a near-identical incident fixed by the same action
 * supports it, one where that action failed argues against repeating it.
 */
export function knowledgeAdjustment(action: ActionType, similar: RetrievedIncident[]): KnowledgeAdjustment {
  let delta = 0;
  const notes: string[] = [];
  for (const inc of similar.slice(0, 5)) {
    const w = ramp(inc.similarity_score, 0.6, 0.95);
    if (w <= 0) continue;
    const sim = `${Math.round(inc.similarity_score * 100)}%`;
    if (inc.action === action && inc.outcome && BAD_OUTCOMES.has(inc.outcome)) {
      delta -= 0.25 * w;
      notes.push(`past incident ${inc.incident_id} (${sim} similar) tried ${action} and ended ${inc.outcome}`);
    } else if (inc.action === action && inc.outcome === "RESOLVED") {
      delta += 0.1 * w;
      notes.push(`past incident ${inc.incident_id} (${sim} similar) was resolved by ${action}`);
    } else if (inc.action === action) {
      delta += 0.03 * w;
      notes.push(`past incident ${inc.incident_id} (${sim} similar) also chose ${action}`);
    } else if (inc.outcome === "RESOLVED" && w >= 0.5) {
      delta -= 0.05 * w;
      notes.push(`past incident ${inc.incident_id} (${sim} similar) was resolved by ${inc.action} instead`);
    }
  }
  return { delta: Math.max(-0.4, Math.min(0.12, delta)), notes };
}
