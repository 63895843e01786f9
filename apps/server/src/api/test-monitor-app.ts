import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../config/config.js";
import { createMonitor } from "../monitor/create-monitor.js";
import { createLogger } from "../shared/logger.js";
import { freshDatabase } from "../testing/test-databases.js";
import { fake, injectApp } from "./test-inject-app.js";

/**
 * The app over a real predictive monitor on an embedded PGlite (a fake of the engine, history and
 * training would re-implement them); everything else is faked as in `injectApp`.
 */
export async function injectMonitorApp(
  env: Record<string, string> = {},
): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const db = await freshDatabase("pglite");
  const dataDir = mkdtempSync(join(tmpdir(), "aegis-inject-monitor-"));
  const config = loadConfig({ AEGIS_MONITOR_PROACTIVE: "false", ...env });
  const monitor = await createMonitor(config, {
    database: db.database,
    dataDir,
    logger: createLogger("silent"),
    incidents: {
      receive: async () => {
        throw new Error("proactive incidents are off in route tests");
      },
    },
    manages: () => false,
  });
  const app = await injectApp({ config, monitor, executor: fake("executor", { kind: "local" }) });
  return {
    app,
    close: async () => {
      await app.close();
      await monitor.close();
      await db.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A healthy metric record of seed 004 at tick `i` (5 minutes apart). */
export function metricRecord(server: string, i: number) {
  return {
    timestamp: new Date(Date.parse("2026-03-02T08:00:00Z") + i * 300_000).toISOString().replace(".000Z", ""),
    server_name: server,
    status: "healthy",
    cpu_user_pct: 22,
    cpu_sys_pct: 6,
    cpu_iowait_pct: 1.5,
    cpu_idle_pct: 70.5,
    java_cpu_pct: 12,
    mem_used_pct: 55,
    swap_used_pct: 2,
    disk_usage_pct: 40,
    net_in_mb_s: 10,
    net_out_mb_s: 7,
    back_close_wait: 3,
    front_close_wait: 2,
    load_average: 1.8,
    uptime_days: 30,
  };
}
