import type { ActionType } from "@aegis/contracts";
import { CRASH_LOOP_RESTARTS, type Decision } from "./decide.js";
import { type Signals, strength } from "./signals.js";

/**
 * The actions a diagnosis supports executing: what a senior SRE would accept for it, given the
 * evidence, after the same guardrails the proposal went through. NOOP is never listed (doing nothing
 * needs no support); an empty list means the evidence supports no action.
 */
export function supportedActions(d: Decision, s: Signals): ActionType[] {
  if (s.protectedTarget?.kind === "self") return [];
  const supported = new Set<ActionType>();
  const add = (action: ActionType) => action !== "NOOP" && supported.add(action);
  add(d.diagnosedAction);
  add(d.action);
  const deployed = strength(s, "recent_deploy") >= 0.5;
  switch (d.category) {
    case "memory_leak":
      // A leak that began with a deploy is fixed by undoing it; one under real load may also need room.
      if (deployed) add("ROLLBACK");
      if ((s.loadRatio ?? 0) >= 1.5 || strength(s, "load_high") >= 0.5) add("SCALE_UP");
      break;
    case "cpu_runaway":
      if (deployed) add("ROLLBACK");
      break;
    default:
      break;
  }
  if (s.restarts.count >= CRASH_LOOP_RESTARTS) {
    // Restarting a flapping target again, or cloning it, repeats the crash.
    supported.delete("RESTART");
    supported.delete("SCALE_UP");
  }
  if (d.category === "unknown") supported.clear();
  return [...supported];
}
