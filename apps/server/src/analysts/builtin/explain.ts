import type { ActionType } from "@aegis/contracts";
import type { ConfigFix, IncidentCategory } from "../../ports/analyst.js";
import type { Decision } from "./decide.js";
import { type Signals, strength } from "./signals.js";

const LABEL: Record<IncidentCategory, string> = {
  memory_leak: "Memory leak",
  cpu_runaway: "CPU runaway",
  traffic_surge: "Traffic surge beyond capacity",
  bad_deploy: "Bad deploy",
  db_latency: "Database contention or latency (the service is a victim)",
  dependency_outage: "Dependency outage (the service is a victim)",
  disk_full: "Disk full",
  crashloop_config: "Crash loop from a configuration change",
  cert_expiry: "TLS certificate failure (expired, untrusted or issued for another name)",
  scheduling_failure: "Scheduling failure (the pod cannot be placed)",
  start_failure: "Container start failure",
  resource_limit: "Resource limit too low",
  probe_failure: "Failing health probe",
  node_pressure: "Node problem (resource pressure, pod capacity or NotReady)",
  network_failure: "Network failure",
  missing_resource: "Missing resource",
  job_failure: "Job failed (its pods kept failing until the backoff limit)",
  operation_blocked: "Cluster operation blocked (a lock, budget, finalizer or missed schedule holds it)",
  app_error: "Application error (a defect in the code path, no change on record)",
  healthy: "Healthy: no issue found, the workload is running normally",
  over_provisioned: "Over-provisioned service",
  noise: "Transient blip that already recovered",
  unknown: "Unclear: the evidence does not support a diagnosis",
};

function rationale(
  category: IncidentCategory,
  action: ActionType,
  s: Signals,
  replicas: number,
  maxReplicas: number,
): string {
  const ratio = s.loadRatio !== null ? `${s.loadRatio.toFixed(1)}x normal` : "above normal";
  const deploy = s.deploys[0];
  switch (`${category}:${action}`) {
    case "memory_leak:RESTART":
      return "A restart reclaims the leaked memory and buys time for a code fix; load is not the cause, so scaling would only spread the leak and scaling down would overload the survivors.";
    case "cpu_runaway:RESTART":
      return "A restart kills the spinning work; load is not the reason for the CPU, so more replicas would not unblock it.";
    case "traffic_surge:SCALE_UP":
      return `Load is ${ratio} while the code and its dependencies look healthy; scaling to ${replicas} replicas (cap ${maxReplicas}) absorbs it, and a restart would drop capacity mid-surge.`;
    case "bad_deploy:ROLLBACK":
      return `The new errors line up with a recent change${deploy?.version ? ` (${deploy.version}${deploy.previous ? ` from ${deploy.previous}` : ""})` : ""}; rolling back restores the last good build, a restart reruns the same code and scaling multiplies the failures.`;
    case "crashloop_config:ROLLBACK":
      return "The service dies at startup on a configuration error right after a change; rolling the change back is the fix, and restarts already happen on their own.";
    case "bad_deploy:NOOP":
    case "crashloop_config:NOOP":
      return "A change is implicated but no target to roll back to is known; escalating to a human.";
    case "db_latency:NOOP":
      return "The service only waits on its database; restarting, rolling back or scaling it adds connection pressure to the struggling database. Escalate to whoever owns the database.";
    case "dependency_outage:NOOP":
      return "A dependency is failing and this service is only a victim; restarting, rolling back or scaling it adds retries against the failing dependency. Escalate to its owner.";
    case "disk_full:RESTART":
      return "The space is taken by the app's own temp files on an ephemeral volume, which a restart wipes; the cleanup bug still needs a fix.";
    case "disk_full:NOOP":
      return "A restart will not free this space and deleting data is a human decision; expand the volume or clear its backlog.";
    case "cert_expiry:NOOP":
      return "A restart reloads the same certificate and trust store and cuts the sessions that still work; the certificate must be renewed, or the trust (CA bundle, name) fixed, by its owner.";
    case "app_error:NOOP":
      return "The code throws on this path: a restart runs the same code again, and no deploy or config change is on record to roll back. Escalate to the service's owners with the exception.";
    case "scheduling_failure:NOOP":
    case "start_failure:NOOP":
    case "resource_limit:NOOP":
    case "probe_failure:NOOP":
    case "node_pressure:NOOP":
    case "network_failure:NOOP":
    case "missing_resource:NOOP":
    case "job_failure:NOOP":
    case "operation_blocked:NOOP":
      return "The fix is a change to the spec or the cluster, which no restart, rollback or scaling makes; a human applies it.";
    case "healthy:NOOP":
      return "Nothing is broken; acting would only disturb a healthy workload.";
    case "over_provisioned:SCALE_DOWN":
      return `Utilisation is very low across ${s.replicas ?? "many"} replicas; scaling down to ${replicas} keeps headroom and saves cost.`;
    case "over_provisioned:NOOP":
      return "Capacity looks oversized, but not clearly enough to shrink it automatically; raise a ticket.";
    case "noise:NOOP":
      return strength(s, "resolved") > 0 || strength(s, "transient") > 0
        ? "The condition has already cleared; acting now would only disturb a healthy service."
        : "Only client-side errors and no server-side fault: the service is healthy, so there is nothing to remediate (blocking abusive callers is a human decision).";
    default:
      return "The evidence is too thin to justify changing anything; escalating to a human.";
  }
}

export interface Explanation {
  rootCause: string;
  justification: string;
  evidence: string[];
}

export function explain(
  d: Decision,
  s: Signals,
  replicas: number,
  maxReplicas: number,
  extraNotes: string[],
  fix?: ConfigFix,
): Explanation {
  const byKind = d.winner.support.flatMap((k) => s.best.get(k) ?? []);
  const evidence = byKind.slice(0, 6).map((x) => x.evidence);
  const against = d.winner.against.map((k) => s.best.get(k)).filter((x) => x !== undefined);
  const lead = evidence[0];
  const rootCause =
    d.category === "unknown"
      ? `${LABEL.unknown}${lead ? ` (strongest signal: ${lead})` : ""}`
      : `${LABEL[d.category]}: ${lead ?? "see justification"}${fix ? `. Fix: ${fix.description}` : ""}`;
  const parts = [
    evidence.length ? `Evidence: ${evidence.join("; ")}.` : "No decisive signal was found in the logs or context.",
    against.length
      ? `Weighed against: ${against
          .slice(0, 3)
          .map((x) => x.evidence)
          .join("; ")}.`
      : "",
    d.action === d.diagnosedAction
      ? `${d.action}: ${rationale(d.category, d.action, s, replicas, maxReplicas)}`
      : `The diagnosis alone would call for ${d.diagnosedAction}, but the proposal is ${d.action}.`,
    fix ? `Fix (for a human): ${fix.description} — ${fix.command}.` : "",
    ...d.guardrails,
    ...extraNotes,
  ].filter((p) => p !== "");
  return { rootCause, justification: parts.join(" "), evidence: [...evidence, ...d.guardrails, ...extraNotes] };
}
