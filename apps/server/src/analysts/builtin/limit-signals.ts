import { restartCount } from "./crash-signals.js";
import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";
import { formatDuration, parseInstant } from "./timestamps.js";

/** The CPU limit in a describe block ("Limits:\n  cpu: 500m"), for naming the fix. */
export function cpuLimit(view: LogView): string | null {
  return /^\s*Limits:\s*\n\s*cpu:\s+(\S+)/m.exec(view.text)?.[1] ?? null;
}

/** The memory limit of a container, from a describe block, a YAML spec or JSON ("96Mi", "2Gi"). */
export function memoryLimit(view: LogView): string | null {
  const block =
    /^\s*limits:[ \t]*\n(?:[ \t]*[\w./-]+:[ \t]+\S+[ \t]*\n){0,3}?[ \t]*memory:[ \t]+["']?([\d.]+[KMGTE]?i?)["']?/im;
  const json = /"limits"\s*:\s*\{[^}]*?"memory"\s*:\s*"([\d.]+[KMGTE]?i?)"/;
  return block.exec(view.text)?.[1] ?? json.exec(view.text)?.[1] ?? null;
}

const OOM_KILLED = /Reason:\s+OOMKilled|OOMKilled|Memory cgroup out of memory|oom[-_ ]kill(?:er|ed)\b/i;
const CRASH_LOOP = /CrashLoopBackOff|Back-off restarting failed container/i;

/** How long the last run lasted, from the Started/Finished pair kubectl prints for a terminated container. */
function lastRun(view: LogView): number | null {
  const started = /^\s*Started:\s+(.+?)\s*$/m.exec(view.text)?.[1];
  const finished = /^\s*Finished:\s+(.+?)\s*$/m.exec(view.text)?.[1];
  const a = parseInstant(started);
  const b = parseInstant(finished);
  return a !== null && b !== null && b >= a ? b - a : null;
}

/**
 * Killed by the OOM killer soon after every start under a known limit: the normal working set does not
 * fit, so the limit is too low. A leak takes its time (hours of growth); that case is the memory rules'.
 */
function memoryLimitTooLow(view: LogView): Signal[] {
  const killed = view.lines.find((l) => OOM_KILLED.test(l.text));
  const limit = memoryLimit(view);
  if (!killed || !limit) return [];
  const run = lastRun(view);
  if (run !== null) {
    if (run > 15 * 60_000) return [];
    const strength = run <= 2 * 60_000 ? 0.9 : 0.65;
    return [
      signal(
        "memory_limit_low",
        strength,
        `OOMKilled ${formatDuration(run)} after it started, under a memory limit of ${limit}: its working set does not fit the limit`,
      ),
    ];
  }
  const restarts = restartCount(view).count;
  const looping = view.lines.some((l) => CRASH_LOOP.test(l.text));
  if (!looping || restarts < 3) return [];
  return [
    signal(
      "memory_limit_low",
      0.6,
      `OOMKilled in a crash loop (${restarts} restarts) under a memory limit of ${limit}: its working set does not fit the limit`,
    ),
  ];
}

const HPA_MAXED =
  /KubeHpaMaxedOut|(?:HPA|HorizontalPodAutoscaler)\b[^\n]{0,100}?\b(?:at|reached|running at) (?:its )?max(?:imum)?[ _]?replicas|ScalingLimited\s+True[^\n]*TooManyReplicas|desired replica count is more than the maximum replica count/i;

/** The HorizontalPodAutoscaler's maxReplicas from the evidence ("max replicas 10", "maxReplicas: 10"). */
export function hpaMaxReplicas(view: LogView): number | null {
  const m = /max(?:imum)?[ _]?replicas(?: of)?[:=\s]+(\d+)/i.exec(view.text);
  return m?.[1] ? Number(m[1]) : null;
}

/** The autoscaler wants more replicas than its maximum allows: the ceiling, not the pods, needs changing. */
function hpaMaxedOut(view: LogView): Signal[] {
  const where = HPA_MAXED.test(view.alert) ? view.alert : view.lines.find((l) => HPA_MAXED.test(l.text))?.text;
  if (!where) return [];
  const max = hpaMaxReplicas(view);
  return [
    signal(
      "hpa_maxed",
      0.85,
      `the HorizontalPodAutoscaler is held at its maximum of ${max ?? "its"} replicas while it wants more: ${quote(where, 100, HPA_MAXED)}`,
      HPA_MAXED.test(view.alert) ? "alert" : "logs",
    ),
  ];
}

/**
 * A limit set too low: the container throttled at its CPU limit (CFS quota), OOM-killed under a memory
 * limit it cannot fit in, or the autoscaler held at its maximum replicas.
 */
export function limitSignals(view: LogView): Signal[] {
  return [...cpuThrottled(view), ...memoryLimitTooLow(view), ...hpaMaxedOut(view)];
}

/** The container is throttled at its CPU limit (CFS quota): it needs a higher limit, not a restart. */
function cpuThrottled(view: LogView): Signal[] {
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
