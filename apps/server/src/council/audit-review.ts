import type { ActionType } from "@aegis/contracts";
import type { CouncilInput } from "../ports/council.js";
import { assertNever } from "../shared/errors.js";
import type { CouncilPolicy } from "./council-policy.js";
import { crashLoopEvidence } from "./crash-loop-evidence.js";
import type { Grounding } from "./evidence-grounding.js";
import type { PolicyFinding } from "./policy-finding.js";

/** What the AUDITOR found: rule violations, and the facts it checked when there are none. */
export interface AuditReview {
  findings: PolicyFinding[];
  notes: string[];
}

/**
 * Grounding and proportionality: does the council's own reading of the evidence support the action,
 * then replica cap, restart budget, rollback availability, confidence and evidence. Confidence,
 * diagnosis and evidence are the grounded ones, never the proposer's self-report.
 */
export function reviewAudit(input: CouncilInput, policy: CouncilPolicy, grounding: Grounding): AuditReview {
  const { incident, proposal, facts } = input;
  const { action, replica_count: replicaCount } = proposal.analysis;
  const confidence = grounding.confidence;
  const evidence = grounding.evidence.filter((item) => item.trim() !== "").length;
  const replicas = facts.currentReplicas ?? incident.context?.replicas ?? null;
  const findings: PolicyFinding[] = [];
  const notes: string[] = [];
  const flag = (rule: PolicyFinding["rule"], verdict: PolicyFinding["verdict"], reason: string): void => {
    findings.push({ rule, role: "AUDITOR", verdict, reason });
  };
  if (grounding.finding) findings.push(grounding.finding);
  else notes.push(grounding.note);

  const flapping = restartHistory(input, policy);
  const budget = `budget of ${policy.restartBudgetPerHour}/h`;
  const flappingConcern = flapping.exhausted ? concernWhileFlapping(action) : null;
  if (flappingConcern)
    flag("restart_budget", "NEEDS_REVIEW", `${flapping.seen} against a ${budget}: ${flappingConcern}`);
  else if (action === "RESTART") notes.push(`${flapping.seen}, within the ${budget}`);

  let risky = false;
  switch (action) {
    case "RESTART":
      // Restarting the only replica is an outage while it comes back.
      risky = replicas !== null && replicas <= 1;
      if (risky) notes.push(`single replica (${replicas}), so the restart is a short outage`);
      break;
    case "SCALE_UP": {
      const cap = replicaCap(input, policy);
      if (replicaCount > cap) {
        flag("replica_cap", "REJECTED", `replica_count ${replicaCount} exceeds the cap of ${cap} (never clamped)`);
      } else {
        notes.push(`replica_count ${replicaCount} within the cap of ${cap}`);
      }
      break;
    }
    case "SCALE_DOWN":
      risky = true;
      notes.push(`scale-down removes capacity${replicas !== null ? ` from ${replicas} replica(s)` : ""}`);
      break;
    case "ROLLBACK":
      risky = true;
      if (facts.rollbackAvailable === false) {
        flag("rollback_unavailable", "REJECTED", "the executor declares no previous version to roll back to");
      } else if (facts.rollbackAvailable === true) {
        notes.push("a previous version is available");
      } else {
        notes.push("rollback availability unknown");
      }
      break;
    case "NOOP":
      notes.push("NOOP executes nothing");
      break;
    default:
      assertNever(action);
  }

  const shownConfidence = confidence.toFixed(2);
  const unknown = grounding.category === "unknown";
  if (action === "NOOP") {
    if (confidence < policy.minConfidence && unknown) {
      flag(
        "low_confidence",
        "NEEDS_REVIEW",
        `NOOP at confidence ${shownConfidence} < ${policy.minConfidence} with an unknown diagnosis: nothing will run, but a human should look`,
      );
    }
  } else if (confidence < policy.minConfidence) {
    flag(
      "low_confidence",
      "NEEDS_REVIEW",
      `confidence ${shownConfidence} is below the minimum ${policy.minConfidence} for ${action}`,
    );
  } else if (risky && confidence < policy.reviewConfidence && evidence <= 1) {
    flag(
      "thin_evidence",
      "NEEDS_REVIEW",
      `${action} is hard to undo, and confidence ${shownConfidence} < ${policy.reviewConfidence} rests on ${evidence} evidence item(s)`,
    );
  }
  notes.push(`confidence ${shownConfidence}, ${evidence} evidence item(s), category ${grounding.category}`);

  return { findings, notes };
}

/** Why an action should not run automatically on a target that keeps crashing; null when it may. */
function concernWhileFlapping(action: ActionType): string | null {
  switch (action) {
    case "RESTART":
      return "restarting a crash-looping target again is not a fix";
    case "SCALE_UP":
      return "new replicas of a crash-looping target would crash the same way";
    case "SCALE_DOWN":
      return "taking capacity from a flapping target needs a human";
    case "ROLLBACK":
    case "NOOP":
      return null;
    default:
      return assertNever(action);
  }
}

/** Whether the target is already restarting in a loop: AegisOps' own count, the client's, or the logs'. */
function restartHistory(
  { incident, facts }: CouncilInput,
  policy: CouncilPolicy,
): { exhausted: boolean; seen: string } {
  const restarts = Math.max(facts.restartsLastHour, incident.context?.restarts_last_hour ?? 0);
  const fromLogs = crashLoopEvidence(incident.logs);
  const budget = policy.restartBudgetPerHour;
  const seen = [`${restarts} restart(s) in the last hour`];
  if (fromLogs.restarts !== null) seen.push(`logs quote a restart count of ${fromLogs.restarts}`);
  if (fromLogs.backOff) seen.push("logs show a crash-loop back-off");
  return {
    exhausted: restarts >= budget || (fromLogs.restarts ?? 0) >= budget || fromLogs.backOff,
    seen: seen.join(", "),
  };
}

/** The stricter of the policy's cap and the one the engine gave the analyst. */
function replicaCap(input: CouncilInput, policy: CouncilPolicy): number {
  const engineCap = input.incident.maxReplicas;
  return Number.isInteger(engineCap) && engineCap >= 1 ? Math.min(policy.maxReplicas, engineCap) : policy.maxReplicas;
}
