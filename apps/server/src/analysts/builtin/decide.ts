import type { ActionType } from "@aegis/contracts";
import type { IncidentCategory } from "../../ports/analyst.js";
import { actionFor } from "./actions.js";
import { type CategoryScore, scoreCategories } from "./scoring.js";
import { type Signals, strength } from "./signals.js";

/** Restarts after which the target is flapping: another restart, or a clone of it, repeats the crash. */
export const CRASH_LOOP_RESTARTS = 4;

/** Below this the best hypothesis is not worth acting on. */
const UNKNOWN_BELOW = 0.3;

export interface Decision {
  category: IncidentCategory;
  /** What the diagnosis alone calls for. */
  diagnosedAction: ActionType;
  /** The proposal after guardrails (protected targets, spent restart budget). */
  action: ActionType;
  /** Calibrated confidence before knowledge-base and injection adjustments. */
  confidence: number;
  /** Upper bound for the final confidence (thin evidence never reads as certain). */
  ceiling: number;
  scores: CategoryScore[];
  winner: CategoryScore;
  /** Guardrails that changed the action, as sentences. */
  guardrails: string[];
}

/** A runbook's action settles a near-tie between hypotheses only when they are this close. */
const PREFER_MARGIN = 0.1;

export interface DecideOptions {
  /**
   * An action an outside source (a high-confidence runbook) calls for: among hypotheses within
   * PREFER_MARGIN of the best, one calling for it wins. It never overrides a clear diagnosis.
   */
  preferAction?: ActionType | null;
}

/** `scores`: `scoreCategories(s)` when the caller has it already (they depend on `s` only). */
export function decide(s: Signals, o: DecideOptions = {}, scores = scoreCategories(s)): Decision {
  let winner: CategoryScore = scores[0] ?? { category: "unknown", score: 0, support: [], against: [] };
  let preferredBy: string | null = null;
  if (o.preferAction && actionFor(winner.category, s) !== o.preferAction) {
    const close = scores.find(
      (c) =>
        c !== winner &&
        c.category !== "unknown" &&
        c.score >= UNKNOWN_BELOW &&
        winner.score - c.score <= PREFER_MARGIN &&
        actionFor(c.category, s) === o.preferAction,
    );
    if (close) {
      preferredBy = `${close.category} (${close.score.toFixed(2)}) and ${winner.category} (${winner.score.toFixed(2)}) fit almost equally; the matching runbook's ${o.preferAction} settles it.`;
      winner = close;
    }
  }
  if (winner.score < UNKNOWN_BELOW && winner.category !== "unknown") {
    winner = { category: "unknown", score: winner.score, support: winner.support, against: winner.against };
  }
  const category = winner.category;
  const diagnosedAction = actionFor(category, s);
  let action = diagnosedAction;

  // Competing hypotheses that call for a different action eat into confidence; agreeing ones don't.
  const rival = scores.find((c) => c.category !== category && actionFor(c.category, s) !== action)?.score ?? 0;
  let confidence =
    category === "unknown" ? Math.min(0.35, 0.15 + winner.score * 0.3) : winner.score * (1 - 0.55 * rival);

  const guardrails: string[] = preferredBy ? [preferredBy] : [];
  if (action === "ROLLBACK" && !hasChangeEvidence(s)) {
    confidence = Math.min(confidence, 0.55);
    guardrails.push("No deploy or config change is on record, so the rollback target must be confirmed by a human.");
  }
  let ceiling = category === "unknown" ? 0.35 : 0.95;
  if (s.protectedTarget?.kind === "self") {
    // Acting on the agent would kill the pipeline doing the acting: only a human can.
    guardrails.push(
      `Not touching the target automatically: ${s.protectedTarget.reason}.${action !== "NOOP" ? ` Escalating instead of ${action}.` : ""}`,
    );
    action = "NOOP";
    confidence = Math.max(confidence, 0.8);
    ceiling = 0.9;
  } else if (s.protectedTarget && action !== "NOOP") {
    // The diagnosis stands; the council checks the same protection and sends the action to a human.
    guardrails.push(`${s.protectedTarget.reason}: the council will send ${action} to a human for approval.`);
  }
  if (s.restarts.count >= CRASH_LOOP_RESTARTS && action === "RESTART") {
    const recent = strength(s, "recent_deploy") >= 0.5;
    guardrails.push(
      `It has already restarted ${s.restarts.count} times recently (${s.restarts.evidence}); another restart will not help` +
        (recent ? ", and a recent deploy explains the failures, so roll it back." : ". Escalating."),
    );
    action = recent ? "ROLLBACK" : "NOOP";
    confidence = recent ? Math.min(confidence, 0.75) : Math.max(0.6, Math.min(confidence, 0.75));
  }
  return { category, diagnosedAction, action, confidence, ceiling, scores, winner, guardrails };
}

function hasChangeEvidence(s: Signals): boolean {
  return (["recent_deploy", "version_change", "deploy_mentioned", "config_change"] as const).some(
    (k) => strength(s, k) > 0,
  );
}
