import type { ActionType } from "@aegis/contracts";
import type { IncidentCategory } from "../../ports/analyst.js";
import { type Signals, strength } from "./signals.js";

/** The smallest action that fixes each diagnosis, before guardrails. */
export function actionFor(category: IncidentCategory, s: Signals): ActionType {
  switch (category) {
    case "memory_leak":
    case "cpu_runaway":
      return "RESTART";
    case "traffic_surge":
      return "SCALE_UP";
    case "bad_deploy":
    case "crashloop_config":
      return "ROLLBACK";
    case "disk_full":
      // Only the app's own scratch files on an ephemeral volume disappear with a restart.
      return strength(s, "ephemeral_tmp") > 0 && strength(s, "persistent_volume") === 0 ? "RESTART" : "NOOP";
    case "over_provisioned":
      return (s.replicas ?? 0) >= 3 && strength(s, "low_utilisation") >= 0.5 ? "SCALE_DOWN" : "NOOP";
    default:
      return "NOOP";
  }
}
