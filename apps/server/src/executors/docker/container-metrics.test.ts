import { describe, expect, it } from "vitest";
import { containerMetrics, cpuPercent, memoryUsedBytes } from "./container-metrics.js";

const MB = 1024 * 1024;

describe("ContainerMetrics from the engine's stats", () => {
  it("CPU % is cpu delta / system delta × online CPUs × 100", () => {
    const stats = {
      cpu_stats: { cpu_usage: { total_usage: 1_500_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 4 },
      precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 18_000_000_000 },
    };
    // 0.5 s of CPU over 2 s of all-CPU time × 4 CPUs = 100 % (one full core)
    expect(cpuPercent(stats)).toBeCloseTo(100, 6);
    // Without online_cpus, the per-CPU array's length counts.
    const v1 = {
      ...stats,
      cpu_stats: {
        ...stats.cpu_stats,
        online_cpus: undefined,
        cpu_usage: { total_usage: 1_500_000_000, percpu_usage: [1, 2] },
      },
    };
    expect(cpuPercent(v1)).toBeCloseTo(50, 6);
    // The first sample has no previous one: 0, not a division by a missing number.
    expect(cpuPercent({ cpu_stats: stats.cpu_stats, precpu_stats: {} })).toBe(0);
  });

  it("memory in use leaves out the reclaimable page cache (cgroup v1 and v2 keys)", () => {
    expect(memoryUsedBytes({ memory_stats: { usage: 300 * MB, stats: { inactive_file: 100 * MB } } })).toBe(200 * MB);
    expect(memoryUsedBytes({ memory_stats: { usage: 300 * MB, stats: { total_inactive_file: 50 * MB } } })).toBe(
      250 * MB,
    );
    expect(memoryUsedBytes({ memory_stats: { usage: 300 * MB } })).toBe(300 * MB);
  });

  it("builds the seed's ContainerMetrics: limit, percent, rx/tx summed over networks, uptime", () => {
    const now = Date.parse("2026-12-06T05:00:10.000Z");
    const m = containerMetrics(
      {
        cpu_stats: { cpu_usage: { total_usage: 200 }, system_cpu_usage: 1000, online_cpus: 2 },
        precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 600 },
        memory_stats: { usage: 256 * MB, limit: 2048 * MB, stats: { inactive_file: 128 * MB } },
        networks: { eth0: { rx_bytes: 1000, tx_bytes: 10 }, eth1: { rx_bytes: 24, tx_bytes: 2 } },
      },
      {
        name: "buggy-app-v2",
        image: "aegisops/buggy-app:v2",
        status: "running",
        startedAt: "2026-12-06T05:00:00.000Z",
      },
      now,
    );
    expect(m).toEqual({
      name: "buggy-app-v2",
      cpu_percent: 50,
      memory_mb: 128,
      memory_limit_mb: 2048,
      memory_percent: 6.25,
      net_rx_bytes: 1024,
      net_tx_bytes: 12,
      status: "running",
      uptime_seconds: 10,
      image: "aegisops/buggy-app:v2",
    });
  });

  it("an exited container reports no usage", () => {
    const m = containerMetrics(null, { name: "x", image: "i", status: "exited", startedAt: null });
    expect(m).toMatchObject({ cpu_percent: 0, memory_mb: 0, uptime_seconds: 0, status: "exited" });
  });
});
