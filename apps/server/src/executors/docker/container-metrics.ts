import type { ContainerMetrics } from "@aegis/contracts";

const MB = 1024 * 1024;

/** The parts of the Engine API's stats answer (`GET /containers/{id}/stats?stream=false`) read here. */
export interface EngineStats {
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: {
    usage?: number;
    limit?: number;
    /** cgroup v1 keys `total_inactive_file`/`cache`, cgroup v2 `inactive_file`. */
    stats?: Record<string, number | undefined>;
  };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
}

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/**
 * CPU percent as `docker stats` computes it: the container's CPU time over the host's in the same
 * interval, times the CPUs online (100 % = one full core).
 */
export function cpuPercent(stats: EngineStats): number {
  const cpu = stats.cpu_stats;
  const pre = stats.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  if (cpuDelta <= 0 || systemDelta <= 0 || !pre?.system_cpu_usage) return 0;
  const online = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  return (cpuDelta / systemDelta) * online * 100;
}

/** Memory in use without the reclaimable page cache, as `docker stats` shows it. */
export function memoryUsedBytes(stats: EngineStats): number {
  const m = stats.memory_stats;
  const usage = m?.usage ?? 0;
  const s = m?.stats ?? {};
  const cache = s.total_inactive_file ?? s.inactive_file ?? s.cache ?? 0;
  return Math.max(0, cache < usage ? usage - cache : usage);
}

/** One ContainerMetrics (seed 000) from a stats answer and the container's state. */
export function containerMetrics(
  stats: EngineStats | null,
  c: { name: string; image: string; status: string; startedAt: string | null },
  now = Date.now(),
): ContainerMetrics {
  const running = c.status === "running" && stats !== null;
  const used = running ? memoryUsedBytes(stats) : 0;
  const limit = stats?.memory_stats?.limit ?? 0;
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(stats?.networks ?? {})) {
    rx += n.rx_bytes ?? 0;
    tx += n.tx_bytes ?? 0;
  }
  const started = c.startedAt ? Date.parse(c.startedAt) : Number.NaN;
  return {
    name: c.name,
    cpu_percent: running ? round(cpuPercent(stats), 2) : 0,
    memory_mb: round(used / MB, 1),
    memory_limit_mb: round(limit / MB, 1),
    memory_percent: limit > 0 ? round((used / limit) * 100, 2) : 0,
    net_rx_bytes: running ? rx : 0,
    net_tx_bytes: running ? tx : 0,
    status: c.status,
    uptime_seconds: running && Number.isFinite(started) ? round(Math.max(0, now - started) / 1000, 1) : 0,
    image: c.image,
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
