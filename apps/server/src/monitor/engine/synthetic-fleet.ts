import type { MetricRecord, ServerStatus } from "@aegis/contracts";
import { formatDataTime } from "./data-time.js";

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so tests and benches are repeatable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The few knobs a synthetic server has; everything else follows from them. */
export interface SyntheticValues {
  cpu: number;
  mem: number;
  disk: number;
  swap: number;
  iowait: number;
  load: number;
  net: number;
  closeWait: number;
  status: ServerStatus;
}

const clampPct = (x: number) => Math.min(100, Math.max(0, x));

/** A schema-valid record at data time `ms` (offset-less timestamp, like the seed's). */
export function syntheticRecord(name: string, ms: number, v: SyntheticValues): MetricRecord {
  const cpu = clampPct(v.cpu);
  const iowait = Math.min(clampPct(v.iowait), cpu);
  const user = (cpu - iowait) * 0.75;
  return {
    timestamp: formatDataTime(ms, true),
    server_name: name,
    status: v.status,
    cpu_user_pct: user,
    cpu_sys_pct: cpu - iowait - user,
    cpu_iowait_pct: iowait,
    cpu_idle_pct: 100 - cpu,
    java_cpu_pct: user * 0.3,
    mem_used_pct: clampPct(v.mem),
    swap_used_pct: clampPct(v.swap),
    disk_usage_pct: clampPct(v.disk),
    net_in_mb_s: Math.max(0, v.net * 0.6),
    net_out_mb_s: Math.max(0, v.net * 0.4),
    back_close_wait: Math.max(0, Math.round(v.closeWait / 2)),
    front_close_wait: Math.max(0, Math.round(v.closeWait / 2)),
    load_average: Math.max(0, v.load),
    uptime_days: 30,
  };
}

/**
 * A healthy generic server at data time `ms`: a daily cycle (peak mid-afternoon UTC) plus noise,
 * every metric well inside the Generic profile's healthy range.
 */
export function healthyValues(ms: number, rand: () => number, phase = 0): SyntheticValues {
  const day = Math.sin(2 * Math.PI * (ms / 86_400_000 - 0.375) + phase);
  const n = () => rand() - 0.5;
  return {
    cpu: 30 + 12 * day + 6 * n(),
    mem: 50 + 6 * day + 2 * n(),
    disk: 45 + 0.5 * n(),
    swap: 2 + 0.5 * n(),
    iowait: 2 + 1.5 * n(),
    load: 2 + 0.8 * day + 0.5 * n(),
    net: 10 + 4 * day + 2 * n(),
    closeWait: 4 + 2 * rand(),
    status: "healthy",
  };
}
