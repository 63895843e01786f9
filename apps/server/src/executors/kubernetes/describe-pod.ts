import type { CoreV1Event, V1Node, V1Pod } from "@kubernetes/client-node";

const pad = (label: string, width = 18) => `${label}:`.padEnd(width);

function age(ts: Date | string | undefined, now: number): string {
  if (!ts) return "<unknown>";
  const s = Math.max(0, Math.round((now - new Date(ts).getTime()) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

/** A pod as `kubectl describe pod` prints its state: containers (state, last state, reason, exit code, restarts, limits) and conditions. */
export function describePod(pod: V1Pod): string {
  const out: string[] = [
    `${pad("Name", 14)}${pod.metadata?.name ?? "?"}`,
    `${pad("Namespace", 14)}${pod.metadata?.namespace ?? "?"}`,
    `${pad("Node", 14)}${pod.spec?.nodeName ?? "<none>"}`,
    `${pad("Status", 14)}${pod.status?.phase ?? "Unknown"}${pod.status?.reason ? ` (${pod.status.reason})` : ""}`,
    "Containers:",
  ];
  for (const c of pod.spec?.containers ?? []) {
    const st = (pod.status?.containerStatuses ?? []).find((s) => s.name === c.name);
    out.push(`  ${c.name}:`, `    ${pad("Image")}${c.image ?? "?"}`);
    const state = st?.state;
    if (state?.waiting) {
      out.push(`    ${pad("State")}Waiting`, `      ${pad("Reason", 16)}${state.waiting.reason ?? ""}`);
      if (state.waiting.message) out.push(`      ${pad("Message", 16)}${state.waiting.message}`);
    } else if (state?.terminated) {
      out.push(
        `    ${pad("State")}Terminated`,
        `      ${pad("Reason", 16)}${state.terminated.reason ?? ""}`,
        `      ${pad("Exit Code", 16)}${state.terminated.exitCode}`,
      );
    } else if (state?.running) out.push(`    ${pad("State")}Running`);
    const last = st?.lastState?.terminated;
    if (last) {
      out.push(
        `    ${pad("Last State")}Terminated`,
        `      ${pad("Reason", 16)}${last.reason ?? ""}`,
        `      ${pad("Exit Code", 16)}${last.exitCode}`,
      );
      if (last.message) out.push(`      ${pad("Message", 16)}${last.message}`);
    }
    out.push(
      `    ${pad("Ready")}${st?.ready ? "True" : "False"}`,
      `    ${pad("Restart Count")}${st?.restartCount ?? 0}`,
    );
    for (const [title, values] of [
      ["Limits", c.resources?.limits],
      ["Requests", c.resources?.requests],
    ] as const) {
      const entries = Object.entries(values ?? {});
      if (entries.length > 0) out.push(`    ${title}:`, ...entries.map(([k, v]) => `      ${k}:  ${v}`));
    }
  }
  out.push("Conditions:", "  Type              Status");
  for (const c of pod.status?.conditions ?? []) out.push(`  ${c.type.padEnd(18)}${c.status}`);
  return out.join("\n");
}

/** Events as the Events table of `kubectl describe` ("Warning  BackOff  2m (x5 over 4m)  kubelet  Back-off …"), newest last. */
export function describeEvents(events: readonly CoreV1Event[], now = Date.now()): string {
  if (events.length === 0) return "Events:  <none>";
  const sorted = [...events].sort((a, b) => time(a) - time(b));
  const rows = sorted.map((e) => {
    const last = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
    const count = e.count ?? 1;
    const when =
      count > 1 ? `${age(last, now)} (x${count} over ${age(e.firstTimestamp ?? last, now)})` : age(last, now);
    const from = e.source?.component ?? e.reportingComponent ?? "";
    const what = e.involvedObject?.name ? `${e.involvedObject.kind ?? ""}/${e.involvedObject.name}` : "";
    return `  ${(e.type ?? "Normal").padEnd(8)} ${(e.reason ?? "").padEnd(18)} ${when.padEnd(16)} ${from.padEnd(10)} ${what}  ${e.message ?? ""}`;
  });
  return ["Events:", "  Type     Reason             Age              From       Object  Message", ...rows].join("\n");
}

function time(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}

/** A node's conditions as `kubectl describe node` lists them (MemoryPressure, DiskPressure, PIDPressure, Ready). */
export function describeNode(node: V1Node): string {
  const rows = (node.status?.conditions ?? []).map(
    (c) => `  ${c.type.padEnd(16)} ${c.status.padEnd(7)} ${(c.reason ?? "").padEnd(28)} ${c.message ?? ""}`,
  );
  return [
    `Node ${node.metadata?.name ?? "?"} conditions:`,
    "  Type             Status  Reason                       Message",
    ...rows,
  ].join("\n");
}
