import type { AnalysisInput } from "../../ports/analyst.js";
import type { TargetProtection } from "../../safety/target-protection.js";
import { type CategoryScore, scoreCategories } from "./scoring.js";
import { extractSignals, type Signals } from "./signals.js";

/** What the analyst reads from an incident's own evidence, before retrieval or runbooks weigh in. */
export interface Reading {
  signals: Signals;
  scores: CategoryScore[];
}

/**
 * The signals and category scores of recent incidents, by exactly the input fields they are computed
 * from (alert, logs, container, severity, alert time, context). The analyst reads each incident twice:
 * as the proposer's analysis and as the council's second opinion, on the same evidence; both get the
 * same (deterministic, never mutated) reading. Bounded: the oldest reading goes first.
 */
export class SignalMemo {
  private readonly recent = new Map<string, Reading>();

  constructor(
    private readonly protection: TargetProtection,
    private readonly capacity = 512,
  ) {}

  read(input: AnalysisInput): Reading {
    const key = keyOf(input);
    const hit = this.recent.get(key);
    if (hit) return hit;
    const signals = extractSignals(input, this.protection);
    const reading = { signals, scores: scoreCategories(signals) };
    if (this.recent.size >= this.capacity) {
      const oldest = this.recent.keys().next();
      if (!oldest.done) this.recent.delete(oldest.value);
    }
    this.recent.set(key, reading);
    return reading;
  }
}

/** Every field `extractSignals` reads, and nothing else (not retrieval, not runbooks). */
function keyOf(i: AnalysisInput): string {
  return JSON.stringify([
    i.alertType,
    i.logs,
    i.containerName ?? null,
    i.severity ?? null,
    i.alertTimestamp ?? null,
    i.context ?? null,
  ]);
}
