/** Buggy app settings, parsed once from the environment at startup. */
export interface AppConfig {
  port: number;
  host: string;
  appName: string;
  appVersion: string;
  /** When APP_VERSION equals this, /health answers 500 (lets the demo show a rollback). */
  badVersion: string | null;
  /** Product webhook; the memory watchdog is off without it. */
  watchdogUrl: string | null;
  watchdogApiKey: string | null;
  watchdogMemoryMb: number;
  watchdogIntervalMs: number;
  /** Consecutive samples above the threshold before alerting (like a Prometheus rule's `for:`). */
  watchdogSustain: number;
  dbLatencyMs: number;
  /** Set by the AegisOps supervisor: exit when re-parented so the app never outlives it. */
  supervisorPid: number | null;
}

export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  return {
    port: intVar(env, "PORT", 8000, 0, 65535),
    host: strVar(env, "HOST") ?? "0.0.0.0",
    appName: strVar(env, "APP_NAME") ?? "buggy-app-v2",
    appVersion: strVar(env, "APP_VERSION") ?? "v2",
    badVersion: strVar(env, "BAD_VERSION"),
    watchdogUrl: urlVar(env, "WATCHDOG_URL"),
    watchdogApiKey: strVar(env, "WATCHDOG_API_KEY"),
    watchdogMemoryMb: intVar(env, "WATCHDOG_MEMORY_MB", 200, 1, 1_000_000),
    watchdogIntervalMs: intVar(env, "WATCHDOG_INTERVAL_MS", 500, 10, 3_600_000),
    watchdogSustain: intVar(env, "WATCHDOG_SUSTAIN", 3, 1, 1000),
    dbLatencyMs: intVar(env, "DB_LATENCY_MS", 5000, 0, 600_000),
    supervisorPid:
      strVar(env, "AEGIS_SUPERVISOR_PID") === null ? null : intVar(env, "AEGIS_SUPERVISOR_PID", 0, 1, 2 ** 31),
  };
}

function strVar(env: NodeJS.ProcessEnv, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = strVar(env, name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function urlVar(env: NodeJS.ProcessEnv, name: string): string | null {
  const raw = strVar(env, name);
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return url.toString();
}
