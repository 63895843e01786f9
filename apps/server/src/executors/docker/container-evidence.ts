import type { RuntimeEvent, RuntimeState } from "../../ports/executor.js";
import type { RuntimeEvidence } from "../../ports/runtime-evidence.js";

/**
 * `docker inspect`, `docker events` and `docker logs` of one container as runtime evidence (ADR 0019),
 * worded like `kubectl describe` where the two say the same thing (`Reason: OOMKilled`, `Exit Code`,
 * `Restart Count`), so the analysts read a container's crash as they read a pod's.
 */
export function containerEvidence(
  target: string,
  state: RuntimeState,
  events: readonly RuntimeEvent[],
  logs: string,
): RuntimeEvidence {
  const reason = state.oomKilled ? "OOMKilled" : state.status === "exited" && state.exitCode !== 0 ? "Error" : null;
  const describe = [
    `Container:      ${target} (${state.id.slice(0, 12)})`,
    `Image:          ${state.image}`,
    `State:          ${state.status}`,
    reason ? `  Reason:       ${reason}` : null,
    state.exitCode !== null ? `  Exit Code:    ${state.exitCode}` : null,
    state.startedAt ? `  Started:      ${state.startedAt}` : null,
    state.finishedAt ? `  Finished:     ${state.finishedAt}` : null,
    state.error ? `  Error:        ${state.error}` : null,
    `OOMKilled:      ${state.oomKilled}`,
    `Restart Count:  ${state.restartCount}`,
  ]
    .filter((l): l is string => l !== null)
    .join("\n");
  const eventLines = events.slice(-20).map((e) => {
    const detail = Object.entries(e.detail)
      .filter(([k]) => ["exitCode", "signal", "image"].includes(k))
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    const warning = ["die", "oom", "kill"].includes(e.action) ? "Warning" : "Normal";
    return `${e.at}  ${warning}  ${e.action}${detail ? `  ${detail}` : ""}`;
  });
  return {
    subject: `Docker container ${target}`,
    describe,
    events: eventLines.join("\n"),
    logs,
    // The engine keeps one log stream across restarts of a container: the previous run's lines are in `logs`.
    previousLogs: "",
    nodeConditions: "",
    labels: {},
    humanOnly: null,
  };
}
