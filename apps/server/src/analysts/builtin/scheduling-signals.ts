import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";

/** Why the scheduler cannot place a pod, from FailedScheduling events ("0/3 nodes are available: …"). */
const UNFIT: Array<[RegExp, string]> = [
  [/Insufficient ([\w./-]+)/i, "insufficient $1 on every node"],
  [
    /didn't match (?:Pod's )?node (?:affinity|selector)(?:\/selector)?/i,
    "no node matches the pod's node selector/affinity",
  ],
  [
    /untolerated taint[^,.]*|had taints? that the pod didn't tolerate/i,
    "every node has a taint the pod does not tolerate",
  ],
  [/Too many pods/i, "too many pods: the nodes are at their max pods capacity"],
  [/didn't match pod (?:anti-)?affinity rules/i, "pod (anti-)affinity rules cannot be met"],
];

export function schedulingSignals(view: LogView): Signal[] {
  const out: Signal[] = [];
  for (const l of view.lines) {
    if (!/FailedScheduling|nodes are available|Unschedulable/i.test(l.text)) continue;
    const hit = UNFIT.find(([re]) => re.test(l.text));
    if (hit) {
      const m = hit[0].exec(l.text);
      const why = hit[1].replace("$1", m?.[1] ?? "resources");
      out.push(signal("unschedulable", 0.9, `pod cannot be scheduled, ${why}: ${quote(l.text, 120, hit[0])}`));
      break;
    }
  }
  out.push(...unboundClaim(view), ...podCapacity(view), ...quotaExceeded(view));
  return out;
}

const QUOTA = /exceeded quota:?\s*([\w.-]+)?|forbidden: failed quota:?\s*([\w.-]+)?/i;

/** The namespace's ResourceQuota refuses new pods: the ReplicaSet cannot create them. */
function quotaExceeded(view: LogView): Signal[] {
  const l = view.lines.find((x) => QUOTA.test(x.text));
  if (!l) return [];
  const m = QUOTA.exec(l.text);
  const name = m?.[1] ?? m?.[2];
  return [
    signal(
      "quota_exceeded",
      0.9,
      `pods cannot be created: the namespace's ResourceQuota${name ? ` "${name}"` : ""} is exhausted (${quote(l.text, 110, QUOTA)})`,
    ),
  ];
}

/** A PersistentVolumeClaim that cannot bind keeps its pod Pending; a missing StorageClass is the usual reason. */
function unboundClaim(view: LogView): Signal[] {
  const missingClass = view.lines.find((l) => /storageclass[\w.]*\s+"([^"]+)" not found/i.test(l.text));
  if (missingClass) {
    const name = /storageclass[\w.]*\s+"([^"]+)" not found/i.exec(missingClass.text)?.[1] ?? "?";
    return [
      signal(
        "pvc_unbound",
        0.95,
        `PersistentVolumeClaim cannot bind: StorageClass "${name}" does not exist (${quote(missingClass.text, 90, /storageclass/i)})`,
      ),
    ];
  }
  const unbound = view.lines.find((l) =>
    /unbound (?:immediate )?PersistentVolumeClaims|waiting for a volume to be created|no persistent volumes available for this claim|ProvisioningFailed/i.test(
      l.text,
    ),
  );
  return unbound
    ? [
        signal(
          "pvc_unbound",
          0.85,
          `PersistentVolumeClaim is not bound: ${quote(unbound.text, 110, /unbound|volume|Provisioning/i)}`,
        ),
      ]
    : [];
}

/** A node whose running pods reach its `pods:` capacity (kubectl describe node) accepts no more pods. */
function podCapacity(view: LogView): Signal[] {
  const cap = /^\s*Capacity:\s*$/m.test(view.text)
    ? /^\s*Capacity:[\s\S]{0,400}?^\s*pods:\s+(\d+)/m.exec(view.text)
    : null;
  const running = /Non-terminated Pods:\s*\((\d+) in total\)/i.exec(view.text);
  if (!cap?.[1] || !running?.[1]) return [];
  const max = Number(cap[1]);
  const n = Number(running[1]);
  if (n < max) return [];
  return [
    signal(
      "pod_capacity_full",
      0.9,
      `too many pods on the node: ${n} pods running of a capacity of ${max} pods (max pods reached)`,
    ),
  ];
}
