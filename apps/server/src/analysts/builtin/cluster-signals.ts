import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";

const first = (view: LogView, re: RegExp, unless?: RegExp) =>
  view.lines.find((l) => re.test(l.text) && !unless?.test(l.text));

/** Node conditions and evictions: the node, not the workload, ran out of something. */
function nodePressure(view: LogView): Signal[] {
  // Condition rows read "DiskPressure   False …": only a True value is pressure.
  const cond = first(view, /\b(Memory|Disk|PID)Pressure\s+True\b/);
  const low = first(view, /node (?:was|is) low on resource:?\s*\[?([\w-]+)/i);
  const out: Signal[] = [];
  if (low) {
    const res = /low on resource:?\s*\[?([\w-]+)/i.exec(low.text)?.[1] ?? "a resource";
    out.push(
      signal(
        "node_pressure",
        0.9,
        `node pressure: the node was low on ${res}, so pods were evicted: ${quote(low.text, 110, /low on/i)}`,
      ),
    );
  } else if (cond) {
    out.push(signal("node_pressure", 0.85, `node pressure condition is True: ${quote(cond.text, 100, /Pressure/)}`));
  }
  // A node's Ready condition (with the kubelet's reason) or a `kubectl get nodes` row; a pod's own
  // "Ready False" condition row names no kubelet reason and is not the node's.
  const notReady = first(
    view,
    /^\s*Ready\s+(?:False|Unknown)\b[^\n]*\b(?:Kubelet\w*|NodeStatusUnknown|NetworkPluginNotReady)|^\s*[\w.-]+\s+NotReady(?:,SchedulingDisabled)?\s|\bNodeNotReady\b|node\(s\) (?:were|was) not ready|node [\w."-]+ is not ready/i,
  );
  if (notReady)
    out.push(signal("node_not_ready", 0.85, `the node is NotReady: ${quote(notReady.text, 110, /not ?ready/i)}`));
  // A node whose clock drifts: tokens and certificates look not-yet-valid or expired to the others.
  const clock = first(
    view,
    /System clock synchronized:\s*no|NTP (?:service|synchronized):\s*(?:inactive|no)|NodeClockNotSynchronising|NodeClockSkewDetected|clock skew (?:detected|too (?:great|large))|used before issued|(?:iat|nbf)[^\n]{0,30}in the future/i,
  );
  if (clock)
    out.push(
      signal(
        "node_not_ready",
        0.8,
        `the node's clock is not synchronised (NTP): time-based checks (tokens, certificates) fail across nodes: ${quote(clock.text, 100, /clock|NTP|issued|future/i)}`,
      ),
    );
  return out;
}

/** Failing liveness/readiness/startup probes (kubelet "Unhealthy" events). */
function probes(view: LogView): Signal[] {
  const l = first(view, /(Liveness|Readiness|Startup) probe (?:failed|errored)/i);
  if (!l) return [];
  const kind = /(Liveness|Readiness|Startup)/i.exec(l.text)?.[1] ?? "A";
  return [signal("probe_failed", 0.8, `${kind} probe failing: ${quote(l.text, 110, /probe/i)}`)];
}

/** DNS lookups that fail from the workload (not an image pull's registry lookup). */
function dns(view: LogView): Signal[] {
  const re =
    /Could not resolve host:?\s*([\w.-]+)|NameResolutionError|Temporary failure in name resolution|Name or service not known|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)\s*([\w.-]*)|no such host|NXDOMAIN|could not resolve (?:host(?:name)?\s*)?([\w.-]+)|bad address '([\w.-]+)'|server misbehaving/i;
  // Cluster DNS itself down: CoreDNS stops on a forwarding loop (its upstream resolv.conf points back at it).
  const loop = first(view, /plugin\/loop: Loop \([^)]*\) detected|\[FATAL\] plugin\/\w+/i);
  if (loop)
    return [
      signal(
        "dns_failure",
        0.88,
        `cluster DNS is down: CoreDNS stopped (${quote(loop.text, 100, /plugin/i)}); a forwarding loop means its upstream resolver points back at itself`,
      ),
    ];
  const l = first(view, re, /pull|image|registry/i);
  if (!l) return [];
  const m = re.exec(l.text);
  const host = m?.[1] ?? m?.[2] ?? m?.[3] ?? m?.[4] ?? /host='([^']+)'/.exec(l.text)?.[1];
  return [
    signal(
      "dns_failure",
      0.85,
      `DNS resolution failure${host ? `: could not resolve host ${host}` : ""} (${quote(l.text, 100, re)})`,
    ),
  ];
}

/** A NetworkPolicy that denies egress applies to the workload: its outbound calls (DNS too) are dropped. */
function egressPolicy(view: LogView): Signal[] {
  const l = first(
    view,
    /NetworkPolicy[/ ]\s*"?([\w.-]*(?:deny|block|egress)[\w.-]*)|policyTypes:[\s\S]{0,4}-\s*Egress/i,
  );
  if (!l) return [];
  const name = /NetworkPolicy[/ ]\s*"?([\w.-]+)/i.exec(l.text)?.[1];
  return [
    signal(
      "egress_blocked",
      0.8,
      `egress blocked by NetworkPolicy${name ? ` ${name}` : ""}: outbound traffic (including DNS on port 53) is denied`,
    ),
  ];
}

/** Structured status reporting a partition ("network_partitions_detected": true, split brain). */
function partition(view: LogView): Signal[] {
  const l = first(
    view,
    /"?\w*partitions?\w*"?\s*[:=]\s*(?:true|[1-9])|split[- ]brain|network partition (?:detected|occurred)|\bpartitioned from\b|Node [\w@.-]+ cannot communicate with [\w@.-]+|inconsistent_database|running_partitioned_network/i,
    /\bfalse\b/i,
  );
  return l
    ? [signal("cluster_partition", 0.85, `cluster network partition: ${quote(l.text, 100, /partition|split/i)}`)]
    : [];
}

/** A referenced object or resource type that does not exist in the cluster (typo, CRD not installed). */
function missingResource(view: LogView): Signal[] {
  const type = /the server doesn't have a resource type "([^"]+)"|no matches for kind "([^"]+)"/i;
  const t = first(view, type);
  if (t) {
    const m = type.exec(t.text);
    const kind = m?.[1] ?? m?.[2] ?? "?";
    return [
      signal(
        "missing_resource",
        0.9,
        `resource type "${kind}" is not installed in the cluster (the server doesn't have a resource type "${kind}"): its CRD/operator is missing`,
      ),
    ];
  }
  const obj =
    /\b(IngressClass|ServiceAccount|PriorityClass|RuntimeClass|ClusterIssuer|Issuer|ClusterRole|Role|Service|Ingress|NetworkPolicy)(?:\.[\w.]+)?s?\s+"([^"]+)" not found/i;
  const o = first(view, obj, /Error from server \(NotFound\): pods/i);
  if (o) {
    const m = obj.exec(o.text);
    // A pod-creation refusal followed by pods that did start is history: the object exists by now.
    const history = /Error creating: pods/i.test(o.text) && podsStarted(view);
    return [
      signal(
        "missing_resource",
        history ? 0.35 : 0.88,
        `${m?.[1] ?? "the referenced object"} "${m?.[2] ?? "?"}" not found: the workload references an object that does not exist (${quote(o.text, 90, obj)})${history ? "; pods were created afterwards, so it no longer blocks them" : ""}`,
      ),
    ];
  }
  // `kubectl get endpoints` rows read "NAME <none> AGE" under an ENDPOINTS header (other listings have <none> columns too).
  const endpointsTable = /^\s*NAME\s+ENDPOINTS\s+AGE\s*$/m.test(view.text);
  const empty = first(
    view,
    endpointsTable
      ? /^\s*[\w.-]+\s+<none>\s+\d+[smhd]|selector [^\n]{0,60}matches no pods|has no (?:ready )?endpoints|no endpoints available for service/i
      : /selector [^\n]{0,60}matches no pods|has no (?:ready )?endpoints|no endpoints available for service/i,
  );
  if (empty)
    return [
      signal(
        "no_endpoints",
        0.8,
        `the Service has no endpoints: its selector matches no ready pods (${quote(empty.text, 90)})`,
      ),
    ];
  const ns = /namespaces? "([^"]+)" not found/i;
  const n = first(view, ns, /Error from server \(NotFound\): pods/i);
  if (!n) return [];
  const name = ns.exec(n.text)?.[1] ?? "?";
  const near = nearName(view.text, name);
  return [
    signal(
      "missing_resource",
      0.88,
      `namespace "${name}" not found: the manifests reference a namespace that does not exist${near ? ` (likely a typo: "${near}" exists, it should be "${near}")` : ""}`,
    ),
  ];
}

/** A pod of the workload was scheduled and its container started or ran (kubectl describe pod / events). */
function podsStarted(view: LogView): boolean {
  return /^\s*Started:\s+\S|^\s*(?:Last )?State:\s+(?:Running|Terminated)|^\s*Exit Code:\s+\d|Successfully assigned [\w.-]+\/[\w.-]+ to |Started container /m.test(
    view.text,
  );
}

/** Another name in the text one or two edits away from `name`: the likely intended spelling. */
function nearName(text: string, name: string): string | null {
  const seen = new Set(text.match(/[a-z0-9][a-z0-9-]{2,62}/g) ?? []);
  for (const w of seen) if (w !== name && Math.abs(w.length - name.length) <= 2 && editDistance(w, name) <= 2) return w;
  return null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** A Job that used up its retries: the cause is in its pods' failures, this only frames it. */
function jobBackoff(view: LogView): Signal[] {
  const BACKOFF =
    /BackoffLimitExceeded|reached the specified backoff limit|DeadlineExceeded.*Job|Job was active longer than specified deadline/i;
  const l = first(view, BACKOFF);
  if (!l) return [];
  // What its pods fail on: the first error line that is not the Job's own status or a kubelet back-off.
  const cause = first(
    view,
    /\b(?:error|exception|fatal|panic|failed|cannot|can't|unable to|no such file|not found|denied|refused|exit(?:ed)? (?:with )?(?:code|status)\s*[1-9])/i,
    /backoff|back-off|BackoffLimit|job-controller|^\s*(?:Type|Reason|Events|Conditions):/i,
  );
  const why = cause ? `; its pods fail with: ${quote(cause.text, 110)}` : "";
  return [signal("job_failed", 0.85, `the Job reached its backoff limit${why} (${quote(l.text, 70, BACKOFF)})`)];
}

/**
 * The expected state: a Watchdog/heartbeat alert, or a workload whose pods are Ready with no warning
 * events and no restarts. Any fault signal outweighs it in scoring.
 */
function healthy(view: LogView): Signal[] {
  if (/\bWatchdog\b|DeadMansSnitch|heartbeat alert/i.test(view.alert))
    return [
      signal("expected_state", 0.9, `a Watchdog heartbeat alert: it always fires to prove alerting works`, "alert"),
    ];
  const ready = /^\s*Ready\s+True\b/m.test(view.text) && /^\s*ContainersReady\s+True\b/m.test(view.text);
  const notReady = /^\s*(?:Ready|ContainersReady)\s+False\b/m.test(view.text);
  const warnings = /^\s*Warning\s+\w|Restart Count:\s*[1-9]|CrashLoopBackOff|\bError\b|OOMKilled/m.test(view.text);
  if (!ready || notReady || warnings) return [];
  return [
    signal(
      "expected_state",
      0.75,
      "the workload is healthy: its pods are Running and Ready with no restarts and no warning events",
    ),
  ];
}

export function clusterSignals(view: LogView): Signal[] {
  return [
    ...nodePressure(view),
    ...probes(view),
    ...dns(view),
    ...egressPolicy(view),
    ...partition(view),
    ...missingResource(view),
    ...jobBackoff(view),
    ...healthy(view),
  ];
}
