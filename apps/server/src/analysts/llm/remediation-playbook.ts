import type { ActionType } from "@aegis/contracts";
import type { ConfigFix } from "../../ports/analyst.js";
import { assertNever } from "../../shared/errors.js";
import type { NextAction, SuggestedCommand } from "./analysis-detail.js";
import { isReadOnlyCommand } from "./command-safety.js";

/** Next actions and commands for a proposed action, when the analyst gave none (the builtin analyst). */
export function playbookFor(
  action: ActionType,
  target: string,
  replicas: number,
  rootCause: string,
  fix?: ConfigFix,
): { nextActions: NextAction[]; commands: SuggestedCommand[] } {
  const t = target.replace(/[^A-Za-z0-9._-]/g, "") || "service";
  const cmd = (description: string, command: string) => ({
    description,
    command,
    safe_to_run: isReadOnlyCommand(command),
  });
  const inspect = [
    cmd(`Show the latest logs of ${t}`, `kubectl logs deployment/${t} --tail=200`),
    cmd(`Show resource usage of ${t}`, `kubectl top pods -l app=${t}`),
  ];
  const act = (a: string, time: string, rationale: string, priority: NextAction["priority"] = "high") => ({
    action: a,
    priority,
    estimated_time: time,
    rationale,
  });
  switch (action) {
    case "RESTART":
      return {
        nextActions: [act(`Restart ${t}`, "2 minutes", `Clears the faulty process state: ${rootCause}`)],
        commands: [...inspect, cmd(`Restart ${t}`, `kubectl rollout restart deployment/${t}`)],
      };
    case "SCALE_UP":
      return {
        nextActions: [act(`Add ${replicas} replica(s) to ${t}`, "3 minutes", `Adds capacity: ${rootCause}`)],
        commands: [...inspect, cmd(`Scale ${t} out`, `kubectl scale deployment/${t} --replicas=${replicas + 1}`)],
      };
    case "SCALE_DOWN":
      return {
        nextActions: [act(`Remove surplus replicas of ${t}`, "2 minutes", rootCause, "low")],
        commands: [...inspect, cmd(`Scale ${t} in`, `kubectl scale deployment/${t} --replicas=1`)],
      };
    case "ROLLBACK":
      return {
        nextActions: [
          act(`Roll ${t} back to the previous version`, "5 minutes", `Recent deploy correlates: ${rootCause}`),
        ],
        commands: [
          cmd(`Show the rollout history of ${t}`, `kubectl rollout history deployment/${t}`),
          ...inspect,
          cmd(`Roll ${t} back`, `kubectl rollout undo deployment/${t}`),
        ],
      };
    case "NOOP":
      // A named config change is the fix: offered first, for a human, never as a command safe to run.
      return fix
        ? {
            nextActions: [act(fix.description, "10 minutes", rootCause)],
            commands: [...inspect, { description: fix.description, command: fix.command, safe_to_run: false }],
          }
        : {
            nextActions: [
              act("Investigate outside the runtime; no restart or scaling helps", "15 minutes", rootCause, "medium"),
            ],
            commands: inspect,
          };
    default:
      return assertNever(action);
  }
}
