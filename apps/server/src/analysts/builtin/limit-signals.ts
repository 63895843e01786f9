import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";

/** The CPU limit in a describe block ("Limits:\n  cpu: 500m"), for naming the fix. */
export function cpuLimit(view: LogView): string | null {
  return /^\s*Limits:\s*\n\s*cpu:\s+(\S+)/m.exec(view.text)?.[1] ?? null;
}

/** The container is throttled at its CPU limit (CFS quota): it needs a higher limit, not a restart. */
export function limitSignals(view: LogView): Signal[] {
  const re =
    /CPUThrottling\w*|(\d{1,3}(?:\.\d+)?)\s*%\s*(?:of\s+)?(?:CPU\s+)?throttl|throttl\w*\s+(?:of\s+)?CPU|cpu[_ ]cfs[_ ]throttled|container_cpu_cfs_throttled/i;
  const where = re.test(view.alert) ? view.alert : view.lines.find((l) => re.test(l.text))?.text;
  if (!where) return [];
  const limit = cpuLimit(view);
  return [
    signal(
      "cpu_throttled",
      0.9,
      `CPU throttling: the container is throttled at its CPU limit${limit ? ` (limit ${limit})` : ""}: ${quote(where, 100, re)}`,
      re.test(view.alert) ? "alert" : "logs",
    ),
  ];
}
