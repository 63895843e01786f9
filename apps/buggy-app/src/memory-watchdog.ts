import type { AppConfig } from "./config.js";
import { logError, logEvent } from "./log.js";
import { buildMemoryIncident, type MemorySample } from "./memory-incident.js";
import { rssMb } from "./memory-leak.js";

const POST_TIMEOUT_MS = 5000;

export interface MemoryWatchdog {
  stop(): void;
}

/**
 * Alerts once per episode: fires when RSS crosses the threshold, re-arms when it falls back below.
 * A failed POST leaves it armed, so the next tick retries.
 */
export function startMemoryWatchdog(
  config: AppConfig & { watchdogUrl: string },
  readRssMb: () => number = rssMb,
): MemoryWatchdog {
  let armed = true;
  let inFlight = false;
  // The recent memory curve goes into the alert: a leak shows as steady growth, a spike does not.
  const history: MemorySample[] = [];
  let above = 0;

  const tick = async () => {
    if (inFlight) return;
    const rss = readRssMb();
    history.push({ at: new Date(), rssMb: rss });
    if (history.length > 12) history.shift();
    above = rss > config.watchdogMemoryMb ? above + 1 : 0;
    if (rss <= config.watchdogMemoryMb) {
      if (!armed) logEvent("watchdog_rearmed", { rss_mb: rss, threshold_mb: config.watchdogMemoryMb });
      armed = true;
      return;
    }
    if (!armed || above < config.watchdogSustain) return;
    inFlight = true;
    const incident = buildMemoryIncident(config.appName, config.watchdogMemoryMb, new Date(), history);
    try {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (config.watchdogApiKey) headers["x-api-key"] = config.watchdogApiKey;
      const res = await fetch(config.watchdogUrl, {
        method: "POST",
        headers,
        body: JSON.stringify(incident),
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`webhook answered HTTP ${res.status}`);
      armed = false;
      logEvent("watchdog_alert_sent", { incident_id: incident.incident_id, rss_mb: rss, status: res.status });
    } catch (err) {
      logError("watchdog_alert_failed", { incident_id: incident.incident_id, rss_mb: rss, error: String(err) });
    } finally {
      inFlight = false;
    }
  };

  const timer = setInterval(() => void tick(), config.watchdogIntervalMs);
  timer.unref();
  logEvent("watchdog_started", {
    url: config.watchdogUrl,
    threshold_mb: config.watchdogMemoryMb,
    interval_ms: config.watchdogIntervalMs,
  });
  return { stop: () => clearInterval(timer) };
}
