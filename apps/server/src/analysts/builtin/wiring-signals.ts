import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";

/**
 * Workloads wired wrongly to the cluster: a service account without the RBAC grant its calls need, a
 * Service that forwards to a port the container does not listen on, an autoscaler that cannot read the
 * metrics it scales on, an init container that keeps failing. The pods may run; the fix is a spec change.
 */
export function wiringSignals(view: LogView): Signal[] {
  return [
    ...rbacDenied(view),
    ...portMismatch(view),
    ...hpaWithoutMetrics(view),
    ...initFailing(view),
    ...volumeAttach(view),
  ];
}

/** A ReadWriteOnce volume still attached to another node: the new pod cannot mount it. */
function volumeAttach(view: LogView): Signal[] {
  const l = view.lines.find((x) =>
    /Multi-Attach error for volume|Volume is already (?:exclusively attached|used by pod)|FailedAttachVolume[^\n]{0,120}(?:already attached|is attached to|timed out)/i.test(
      x.text,
    ),
  );
  if (!l) return [];
  const vol = /for volume "([^"]+)"/.exec(l.text)?.[1];
  return [
    signal(
      "volume_attach",
      0.86,
      `volume${vol ? ` ${vol}` : ""} is still attached to another node (ReadWriteOnce), so the pod cannot mount it and never starts: ${quote(l.text, 100, /attach/i)}`,
    ),
  ];
}

/** Kubernetes API 403: `… is forbidden: User "system:serviceaccount:NS:SA" cannot VERB resource "RES" …`. */
const FORBIDDEN =
  /(?:"?([\w.-]+)"? )?is forbidden: User "(system:serviceaccount:[\w.-]+:[\w.-]+|[^"]+)" cannot ([\w-]+) resource "([\w.-]+)"(?: in API group "([\w.-]*)")?(?: in the namespace "([\w.-]+)"| at the cluster scope)?/i;

function rbacDenied(view: LogView): Signal[] {
  const l = view.lines.find((x) => FORBIDDEN.test(x.text));
  if (!l) return [];
  const m = FORBIDDEN.exec(l.text);
  const who = m?.[2] ?? "the service account";
  const sa = /^system:serviceaccount:([\w.-]+):([\w.-]+)$/.exec(who);
  const subject = sa ? `service account ${sa[1]}/${sa[2]}` : `user ${who}`;
  const scope = m?.[6] ? ` in namespace ${m[6]}` : /cluster scope/i.test(l.text) ? " at cluster scope" : "";
  return [
    signal(
      "rbac_denied",
      0.88,
      `RBAC permission denied: ${subject} is not allowed to ${m?.[3] ?? "access"} ${m?.[4] ?? "the resource"}${scope} (no Role/RoleBinding grants it): ${quote(l.text, 100, /forbidden/i)}`,
    ),
  ];
}

/** The ports a Service forwards to, and the ports its pods declare or log that they listen on. */
function portMismatch(view: LogView): Signal[] {
  const target = /^\s*TargetPort:\s+(\d+)\/(?:TCP|UDP)/im.exec(view.text)?.[1];
  if (!target) return [];
  const declared = [...view.text.matchAll(/^\s*(?:Container)?Ports?:\s+(\d+)\/(?:TCP|UDP)/gim)].map((m) => m[1]);
  const listening = [
    ...view.text.matchAll(
      /\b(?:listening|listens|serving|server started|started server|bound)\b[^\n]{0,40}?(?:port\s*|:)(\d{2,5})\b/gi,
    ),
  ].map((m) => m[1]);
  const actual = [...new Set([...declared, ...listening])].filter((p): p is string => p !== undefined);
  if (actual.length === 0 || actual.includes(target)) return [];
  // Only a mismatch if something fails to reach it.
  const failing = /connection refused|ECONNREFUSED|no route to host|Failed to connect|upstream connect error|503/i.test(
    view.text,
  );
  if (!failing) return [];
  const svc = /^\s*Name:\s+([\w.-]+)[\s\S]{0,400}?^\s*TargetPort:/im.exec(view.text)?.[1];
  return [
    signal(
      "port_mismatch",
      0.85,
      `Service${svc ? ` ${svc}` : ""} forwards to targetPort ${target}, but the container listens on ${actual.join(", ")}: connections to the Service are refused`,
    ),
  ];
}

/** An autoscaler whose metrics are unavailable (metrics-server missing, no CPU request): it cannot scale. */
function hpaWithoutMetrics(view: LogView): Signal[] {
  const l = view.lines.find((x) =>
    /FailedGetResourceMetric|FailedComputeMetricsReplicas|ScalingActive\s+False|unable to (?:get|fetch) metrics|failed to get (?:cpu|memory) utilization|missing request for (?:cpu|memory)/i.test(
      x.text,
    ),
  );
  if (!l) return [];
  const missingRequest = /missing request for (cpu|memory)(?: in container ([\w.-]+))?/i.exec(view.text);
  const noApi =
    /metrics\.k8s\.io|resource metrics API|metrics-server|the server could not find the requested resource/i.test(
      view.text,
    );
  const why = missingRequest
    ? `the pods set no ${missingRequest[1]} request${missingRequest[2] ? ` (container ${missingRequest[2]})` : ""}, so utilisation cannot be computed`
    : noApi
      ? "the resource metrics API (metrics-server) is not available"
      : "its metrics cannot be read";
  return [
    signal(
      "hpa_no_metrics",
      0.86,
      `the HorizontalPodAutoscaler cannot scale: ${why}: ${quote(l.text, 100, /metric|request/i)}`,
    ),
  ];
}

/** An init container that keeps failing holds the pod in Init: its own last error is the cause. */
function initFailing(view: LogView): Signal[] {
  // A describe's "Init Containers:" section (up to "Containers:") with a failing state, a pod row of the
  // target in Init:CrashLoopBackOff/Error ("Init:0/1" only means not finished yet; rows of other pods in a
  // wide listing are not this incident), or the kubelet saying so.
  const section = /^\s*Init Containers:\s*\n([\s\S]*?)(?=^\s*Containers:|$(?![\s\S]))/im.exec(view.text)?.[1] ?? "";
  const described = /Reason:\s+(?:CrashLoopBackOff|Error|RunContainerError|CreateContainerConfigError)\b/.test(section);
  const target = (view.input.containerName ?? "").toLowerCase();
  const row = view.lines.some(
    (x) =>
      /Init:(?:CrashLoopBackOff|Error|RunContainerError)/.test(x.text) &&
      (!/\s\d+\/\d+\s/.test(x.text) || (target.length >= 3 && x.text.toLowerCase().includes(target))),
  );
  const said = view.lines.some((x) =>
    /init container "?[\w.-]+"? (?:failed|exited with (?:code|status) [1-9])/i.test(x.text),
  );
  if (!described && !row && !said) return [];
  const name = /^\s*Init Containers:\s*\n\s*([\w.-]+):/im.exec(view.text)?.[1];
  const cause = view.lines.find(
    (x) =>
      /\b(?:error|fatal|failed|exception|panic|cannot|unable to|denied|refused)\b/i.test(x.text) &&
      !/Init:|BackOff|Back-off|^\s*(?:Reason|State|Last State|Status|Type|Events):|Exit Code/i.test(x.text) &&
      // A row of a pod listing (NAME READY STATUS …) is another pod's status, not this container's error.
      !/\s\d+\/\d+\s+[A-Z]\w+\s+\d+\s/.test(x.text),
  );
  return [
    signal(
      "init_failed",
      0.84,
      `init container${name ? ` ${name}` : ""} keeps failing, so the pod never starts${cause ? `: ${quote(cause.text, 110)}` : ""}`,
    ),
  ];
}
