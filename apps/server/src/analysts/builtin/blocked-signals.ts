import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";

/**
 * Cluster operations that cannot finish because something holds them: a Helm release locked by an
 * interrupted operation, a drain or rollout refused by a PodDisruptionBudget, a namespace kept in
 * Terminating by finalizers, a CronJob that missed so many schedules the controller stopped starting it.
 * The workload may be fine; the fix is to release the hold, never to restart or roll back the workload.
 */
export function blockedSignals(view: LogView): Signal[] {
  return [...releaseLocked(view), ...budgetBlocks(view), ...finalizersRemain(view), ...cronMissed(view)];
}

/** Helm: "another operation (install/upgrade/rollback) is in progress", or a release left pending-*. */
function releaseLocked(view: LogView): Signal[] {
  const busy = view.lines.find((x) => /another operation \(install\/upgrade\/rollback\) is in progress/i.test(x.text));
  const pending = view.lines.find((x) => /\bpending-(?:upgrade|install|rollback)\b/i.test(x.text));
  if (!busy && !pending) return [];
  const state = pending ? /\bpending-(upgrade|install|rollback)\b/i.exec(pending.text)?.[0] : undefined;
  const release =
    /helm\s+(?:upgrade|install|rollback|status|history)\s+(?:--\S+\s+)*([a-z0-9][\w.-]*)/i.exec(view.text)?.[1] ??
    /release[: ]+"?([a-z0-9][\w.-]*)"?/i.exec(view.text)?.[1];
  const deployed = lastDeployedRevision(view.text);
  return [
    signal(
      "release_locked",
      0.9,
      `Helm release${release ? ` ${release}` : ""} is locked${state ? ` in ${state}` : ""} by an interrupted operation, so every upgrade fails until it is released${deployed ? ` (last deployed revision ${deployed})` : ""}: ${quote((busy ?? pending)?.text ?? "", 110, /in progress|pending/i)}`,
    ),
  ];
}

/** The highest revision a `helm history` listing shows as `deployed` (or `superseded`, the one before). */
export function lastDeployedRevision(text: string): string | undefined {
  const rows = [...text.matchAll(/^\s*(\d+)\s+.*?\b(deployed|superseded)\b/gim)];
  const deployed = rows.filter((m) => m[2]?.toLowerCase() === "deployed").map((m) => Number(m[1]));
  const any = deployed.length > 0 ? deployed : rows.map((m) => Number(m[1]));
  return any.length > 0 ? String(Math.max(...any)) : undefined;
}

/** An eviction refused because a PodDisruptionBudget allows no disruption: the drain or rollout stalls. */
function budgetBlocks(view: LogView): Signal[] {
  const l = view.lines.find((x) =>
    /Cannot evict pod as it would violate the pod'?s disruption budget|violates? (?:the )?PodDisruptionBudget|disruption budget[^\n]{0,80}(?:needs \d+ healthy|allowed disruptions?:?\s*0\b)/i.test(
      x.text,
    ),
  );
  const listed = zeroAllowedRow(view.text);
  if (!l && !listed) return [];
  const pdb = listed ?? /(?:poddisruptionbudget|pdb)[./ ]+"?([a-z0-9][\w.-]*)"?/i.exec(view.text)?.[1];
  return [
    signal(
      "pdb_blocking",
      0.88,
      `PodDisruptionBudget${pdb ? ` ${pdb}` : ""} allows no disruption (every pod it covers is needed for its minAvailable), so evictions are refused and the drain or rollout cannot proceed${l ? `: ${quote(l.text, 110, /evict|budget/i)}` : ""}`,
    ),
  ];
}

/** The name of a `kubectl get pdb` row whose ALLOWED DISRUPTIONS column is 0. */
function zeroAllowedRow(text: string): string | undefined {
  const lines = text.split("\n");
  const h = lines.findIndex((x) => /\bALLOWED DISRUPTIONS\b/.test(x));
  if (h < 0) return undefined;
  const header = (lines[h] ?? "").trim().split(/\s{2,}/);
  const col = header.findIndex((c) => c === "ALLOWED DISRUPTIONS");
  const name = header.findIndex((c) => c === "NAME");
  for (const row of lines.slice(h + 1)) {
    // Values hold no spaces, headers may ("MIN AVAILABLE"): count the column from the end (…, ALLOWED, AGE).
    const cells = row.trim().split(/\s+/);
    if (cells.length < header.length) break;
    const value = cells[cells.length - (header.length - col)];
    if (value === "0") return cells[Math.max(0, name)];
  }
  return undefined;
}

/** A namespace (or object) held in Terminating by finalizers no controller removes. */
function finalizersRemain(view: LogView): Signal[] {
  const l = view.lines.find((x) =>
    /NamespaceFinalizersRemaining|SomeFinalizersRemain|has finalizers remaining|finalizers remaining:|waiting (?:on|for) finalizers?|NamespaceDeletionContentFailure/i.test(
      x.text,
    ),
  );
  if (!l) return [];
  const ns = /namespace[/ ]+"?([a-z0-9][\w.-]*)"?/i.exec(view.text)?.[1];
  const finalizer = /finalizers? remaining:?\s*([\w./-]+)/i.exec(view.text)?.[1];
  return [
    signal(
      "finalizers_stuck",
      0.88,
      `${ns ? `namespace ${ns}` : "the object"} is stuck Terminating: finalizers remain${finalizer ? ` (${finalizer})` : ""} that no controller removes, so deletion never completes: ${quote(l.text, 110, /finali/i)}`,
    ),
  ];
}

/** The CronJob controller stops starting a job after too many missed schedules. */
function cronMissed(view: LogView): Signal[] {
  const l = view.lines.find((x) =>
    /too many missed start times?|Missed (?:the )?scheduled time to start a job|missed start time|TooManyMissedTimes|MissSchedule/i.test(
      x.text,
    ),
  );
  if (!l) return [];
  const cron = /cronjob[/ ]+"?([a-z0-9][\w.-]*)"?/i.exec(view.text)?.[1];
  return [
    signal(
      "cron_missed",
      0.86,
      `CronJob${cron ? ` ${cron}` : ""} missed its schedules (controller down, the job suspended, or a startingDeadlineSeconds too short), so no run was started: ${quote(l.text, 110, /miss/i)}`,
    ),
  ];
}
