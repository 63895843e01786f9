import { retainedMb, round1 } from "./memory-leak.js";

/** Seed IncidentPayload as the product's /webhook expects it. */
export interface MemoryIncident {
  incident_id: string;
  alert_type: "Memory Leak";
  logs: string;
  container_name: string;
  severity: "CRITICAL";
  timestamp: string;
}

const MB = 1024 * 1024;

/** One watchdog reading. */
export interface MemorySample {
  at: Date;
  rssMb: number;
}

/** Builds the alert with log lines an SRE (or the analyst) would see on a leaking service. */
export function buildMemoryIncident(
  appName: string,
  thresholdMb: number,
  now = new Date(),
  history: MemorySample[] = [],
): MemoryIncident {
  const mem = process.memoryUsage();
  const rss = round1(mem.rss / MB);
  const ts = now.toISOString();
  const pct = Math.round((rss / thresholdMb) * 100);
  const line = (level: string, msg: string) => `${ts} ${level.padEnd(5)} [${appName}] ${msg}`;
  const samples = history.map(
    (h) =>
      `${h.at.toISOString()} INFO  [${appName}] memory sample rss_mb=${round1(h.rssMb)} threshold_mb=${thresholdMb}`,
  );
  const logs = [
    ...samples,
    line("ERROR", `MemoryWatchdog: RSS ${rss} MB exceeds threshold ${thresholdMb} MB (${pct}% of limit)`),
    line(
      "ERROR",
      `Memory usage at ${pct}%: heap_used=${round1(mem.heapUsed / MB)}MB heap_total=${round1(mem.heapTotal / MB)}MB ` +
        `external=${round1(mem.external / MB)}MB array_buffers=${round1(mem.arrayBuffers / MB)}MB`,
    ),
    line(
      "WARN",
      `leak suspect: ${retainedMb() / 10} buffers (${retainedMb()} MB) retained by /trigger_memory handler, never freed`,
    ),
    line("WARN", "GC unable to reclaim retained objects; memory growing monotonically since start"),
    line("ERROR", "OOM imminent if allocation continues; process will be killed by the kernel"),
  ].join("\n");
  return {
    incident_id: `${appName}-mem-${now.getTime()}`,
    alert_type: "Memory Leak",
    logs,
    container_name: appName,
    severity: "CRITICAL",
    timestamp: ts,
  };
}
