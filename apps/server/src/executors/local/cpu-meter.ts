/** CPU % per process from CPU-time deltas between calls (100 = one full core, like `docker stats`). */
export class CpuMeter {
  private readonly last = new Map<number, { cpuSeconds: number; at: number }>();

  /** The first reading of a pid averages over its lifetime, so a fresh dashboard is not all zeros. */
  percent(pid: number, cpuSeconds: number, startedAtMs: number, nowMs = Date.now()): number {
    const prev = this.last.get(pid) ?? { cpuSeconds: 0, at: startedAtMs };
    this.last.set(pid, { cpuSeconds, at: nowMs });
    const wallSeconds = (nowMs - prev.at) / 1000;
    if (wallSeconds <= 0) return 0;
    return Math.max(0, ((cpuSeconds - prev.cpuSeconds) / wallSeconds) * 100);
  }

  /** Drops pids that are no longer sampled (restarted or removed instances). */
  retain(pids: Set<number>): void {
    for (const pid of this.last.keys()) if (!pids.has(pid)) this.last.delete(pid);
  }
}
