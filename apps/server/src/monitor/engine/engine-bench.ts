import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { MetricRecord } from "@aegis/contracts";
import { ArgusFleetMonitor } from "./argus-fleet-monitor.js";
import { healthyValues, rng, syntheticRecord } from "./synthetic-fleet.js";

export interface EngineBenchFigures {
  /** Records per second through `ingest`, fleet batches of one record per server per tick (wall clock). */
  ingestRecordsPerSec: number;
  /** The same per second of this process's CPU time: steadier on a shared machine. */
  ingestRecordsPerCpuSec: number;
  ingestRecords: number;
  /** `predictions()` wall time right after an ingest (cache cold), per fleet size. */
  predictionsMs: { servers: number; ms: number }[];
  /** `explain()` wall time for one server. */
  explainMs: number;
}

/**
 * A fleet of `servers` synthetic servers (every 50th leaking memory) sampled every 5 minutes;
 * records are generated up front so only the engine is timed.
 */
function fleetTicks(servers: number, ticks: number, seed: number): MetricRecord[][] {
  const r = rng(seed);
  const t0 = Date.UTC(2025, 0, 15);
  const out: MetricRecord[][] = [];
  for (let i = 0; i < ticks; i++) {
    const ms = t0 + i * 300_000;
    const batch: MetricRecord[] = [];
    for (let s = 0; s < servers; s++) {
      const v = healthyValues(ms, r, s);
      if (s % 50 === 0) v.mem = Math.min(100, 40 + 0.1 * i);
      batch.push(syntheticRecord(`srv${s}`, ms, v));
    }
    out.push(batch);
  }
  return out;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** Measures the engine in-process (the product bench measures through HTTP). */
export function runEngineBench(
  opts: { ingestServers?: number; ingestTicks?: number; fleets?: number[] } = {},
): EngineBenchFigures {
  const ingestServers = opts.ingestServers ?? 1000;
  const ingestTicks = opts.ingestTicks ?? 300;
  const m = new ArgusFleetMonitor();
  const ticks = fleetTicks(ingestServers, ingestTicks, 1);
  // First ticks allocate the servers; time the steady state.
  const warm = Math.min(20, ingestTicks - 1);
  for (let i = 0; i < warm; i++) m.ingest(ticks[i]!);
  let n = 0;
  const cpu0 = process.cpuUsage();
  const ingestMs = time(() => {
    for (let i = warm; i < ingestTicks; i++) n += m.ingest(ticks[i]!).accepted;
  });
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const explainMs = time(() => m.explain("srv0"));

  const predictionsMs: { servers: number; ms: number }[] = [];
  for (const servers of opts.fleets ?? [1000, 10_000]) {
    const fm = new ArgusFleetMonitor();
    const ft = fleetTicks(servers, 35, 2);
    for (const t of ft.slice(0, 30)) fm.ingest(t);
    fm.predictions();
    let best = Number.POSITIVE_INFINITY;
    for (const t of ft.slice(30)) {
      fm.ingest(t.slice(0, 1)); // one new record invalidates the cache
      best = Math.min(
        best,
        time(() => fm.predictions()),
      );
    }
    predictionsMs.push({ servers, ms: Math.round(best * 10) / 10 });
  }
  return {
    ingestRecordsPerSec: Math.round((n / ingestMs) * 1000),
    ingestRecordsPerCpuSec: Math.round((n / cpuMs) * 1000),
    ingestRecords: n,
    predictionsMs,
    explainMs: Math.round(explainMs * 100) / 100,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(runEngineBench(), null, 2));
}
