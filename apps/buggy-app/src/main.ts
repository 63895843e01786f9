#!/usr/bin/env node
import type { AddressInfo } from "node:net";
import { createAppServer } from "./app-server.js";
import { type AppConfig, loadConfig } from "./config.js";
import { logError, logEvent } from "./log.js";
import { startMemoryWatchdog } from "./memory-watchdog.js";

const FORCE_EXIT_MS = 2000;
const ORPHAN_CHECK_MS = 1000;

let config: AppConfig;
try {
  config = loadConfig(process.env);
} catch (err) {
  logError("config_invalid", { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

const server = createAppServer(config);
const watchdog = config.watchdogUrl ? startMemoryWatchdog({ ...config, watchdogUrl: config.watchdogUrl }) : null;

server.on("error", (err) => {
  logError("server_error", { error: String(err) });
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  logEvent("listening", { app: config.appName, version: config.appVersion, host: config.host, port, pid: process.pid });
});

let shuttingDown = false;
function shutdown(signal: string): void {
  if (shuttingDown) return;
  shuttingDown = true;
  logEvent("shutdown", { signal });
  watchdog?.stop();
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  // In-flight slow requests (/trigger_db_latency) must not hold up a supervisor's restart.
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, FORCE_EXIT_MS).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));

// If the supervisor dies without cleaning up (SIGKILL), we get re-parented: exit rather than linger.
const supervisorPid = config.supervisorPid;
if (supervisorPid !== null) {
  setInterval(() => {
    if (process.ppid !== supervisorPid) {
      logEvent("supervisor_gone", { supervisor_pid: supervisorPid, ppid: process.ppid });
      process.exit(0);
    }
  }, ORPHAN_CHECK_MS).unref();
}
