import type { IncidentCategory } from "../../ports/analyst.js";
import type { SignalKind } from "./signal.js";
import { type Signals, strength } from "./signals.js";

type Weights = Partial<Record<SignalKind, number>>;

export interface CategoryScore {
  category: IncidentCategory;
  score: number;
  /** Signals that supported it, strongest contribution first. */
  support: SignalKind[];
  /** Signals that argued against it. */
  against: SignalKind[];
}

/**
 * Noisy-OR of supporting signals: each one alone is a probability-like weight times its strength, and
 * independent signals compound (two 0.6 signals give 0.84). Contradicting signals scale the result down.
 */
function combine(
  s: Signals,
  support: Weights,
  against: Weights = {},
): { score: number; support: SignalKind[]; against: SignalKind[] } {
  let miss = 1;
  const used: Array<[SignalKind, number]> = [];
  for (const [k, w] of Object.entries(support) as Array<[SignalKind, number]>) {
    const c = w * strength(s, k);
    if (c > 0) {
      miss *= 1 - c;
      used.push([k, c]);
    }
  }
  let keep = 1;
  const contra: SignalKind[] = [];
  for (const [k, w] of Object.entries(against) as Array<[SignalKind, number]>) {
    const c = w * strength(s, k);
    if (c > 0) {
      keep *= 1 - c;
      contra.push(k);
    }
  }
  return { score: (1 - miss) * keep, support: used.sort((a, b) => b[1] - a[1]).map(([k]) => k), against: contra };
}

const has = (s: Signals, ...kinds: SignalKind[]) => kinds.some((k) => strength(s, k) > 0);

const VICTIM: Weights = {
  db_pool_exhausted: 0.45,
  db_conn_limit: 0.45,
  db_lock: 0.45,
  db_slow: 0.3,
  dep_5xx: 0.4,
  dep_unreachable: 0.35,
  circuit_open: 0.35,
};

function memoryLeak(s: Signals) {
  // Flat traffic rules out "memory grows because load grew", but says nothing on its own.
  const flat = has(s, "oom_fatal", "oom_killed", "gc_thrash", "memory_high", "memory_growth")
    ? { load_normal: 0.25 }
    : {};
  return combine(
    s,
    {
      oom_fatal: 0.6,
      oom_killed: 0.5,
      gc_thrash: 0.55,
      memory_high: 0.35,
      memory_growth: 0.45,
      leak_hint: 0.45,
      ...flat,
    },
    { ...VICTIM, disk_full: 0.5, cert_expired: 0.6, config_error: 0.5, load_high: 0.15, hot_thread: 0.3 },
  );
}

function cpuRunaway(s: Signals) {
  // Busy CPU only points at a runaway when load is not the reason.
  const busy = has(s, "load_high") ? {} : { cpu_saturated: 0.3, load_normal: has(s, "cpu_saturated") ? 0.25 : 0 };
  return combine(
    s,
    { hot_thread: 0.6, event_loop_blocked: 0.5, spin_loop: 0.55, ...busy },
    { load_high: 0.6, saturation: 0.3, gc_thrash: 0.45, oom_fatal: 0.3, ...VICTIM },
  );
}

function trafficSurge(s: Signals) {
  if (!has(s, "load_high", "saturation")) return { score: 0, support: [], against: [] };
  const hot = { cpu_saturated: 0.3, deps_healthy: 0.2, no_errors: 0.15 };
  return combine(
    s,
    { load_high: 0.7, saturation: 0.45, campaign: 0.3, ...hot },
    {
      load_normal: 0.7,
      load_low: 0.8,
      code_exception: 0.3,
      error_increase: 0.5,
      schema_mismatch: 0.5,
      config_error: 0.5,
      hot_thread: 0.3,
      ...VICTIM,
      oom_fatal: 0.2,
      spin_loop: 0.4,
    },
  );
}

const DEPLOY_AGAINST: Weights = {
  ...VICTIM,
  cert_expired: 0.7,
  disk_full: 0.6,
  load_high: 0.3,
  oom_fatal: 0.3,
  gc_thrash: 0.3,
};

/** A config change minutes before connection errors: the change (wrong host, secret, port) is the likelier cause. */
function changeExplainsDependencies(s: Signals): number {
  return strength(s, "recent_deploy") >= 0.85 ? strength(s, "config_change") : 0;
}

function badDeploy(s: Signals) {
  const explained = changeExplainsDependencies(s);
  const errors = combine(s, {
    dep_unreachable: 0.5 * explained,
    dep_5xx: 0.4 * explained,
    code_exception: 0.6,
    schema_mismatch: 0.7,
    error_increase: 0.6,
    error_rate_high: 0.35,
    server_errors: 0.3,
    native_crash: 0.5,
    startup_failure: 0.45,
    crashloop: 0.35,
  });
  const change = combine(s, { recent_deploy: 0.85, version_change: 0.5, deploy_mentioned: 0.5, config_change: 0.2 });
  let keep = 1 - 0.8 * strength(s, "stale_deploy");
  const against: SignalKind[] = has(s, "stale_deploy") ? ["stale_deploy"] : [];
  for (const [k, w] of Object.entries(DEPLOY_AGAINST) as Array<[SignalKind, number]>) {
    const victim = k in VICTIM ? 1 - explained : 1;
    const c = w * victim * strength(s, k);
    if (c > 0) {
      keep *= 1 - c;
      against.push(k);
    }
  }
  // Geometric mean: a rollback needs both new errors and a change that explains them.
  return {
    score: Math.sqrt(errors.score * change.score) * keep,
    support: [...errors.support, ...change.support],
    against,
  };
}

function crashloopConfig(s: Signals) {
  const r = combine(
    s,
    { config_error: 0.75, startup_failure: 0.35, crashloop: 0.35, config_change: 0.45, recent_deploy: 0.25 },
    { oom_killed: 0.5, oom_fatal: 0.5, dep_unreachable: 0.3, db_pool_exhausted: 0.3 },
  );
  // Without a config error or a config change this is some other crash.
  const gate = has(s, "config_error") || (has(s, "config_change") && has(s, "crashloop", "startup_failure")) ? 1 : 0.35;
  return { ...r, score: r.score * gate };
}

function dbLatency(s: Signals) {
  const r = combine(
    s,
    { db_pool_exhausted: 0.6, db_conn_limit: 0.6, db_lock: 0.6, db_slow: 0.5, app_idle: 0.3, upstream_timeout: 0.1 },
    { deps_healthy: 0.6, schema_mismatch: 0.75, load_high: 0.3, cert_expired: 0.7, code_exception: 0.15 },
  );
  return has(s, "db_pool_exhausted", "db_conn_limit", "db_lock", "db_slow") ? r : { ...r, score: 0 };
}

function dependencyOutage(s: Signals) {
  const r = combine(
    s,
    {
      dep_5xx: 0.6,
      dep_unreachable: 0.55,
      upstream_timeout: 0.4,
      circuit_open: 0.5,
      self_healthy: 0.45,
      app_idle: 0.3,
    },
    {
      cert_expired: 0.8,
      load_high: 0.5,
      cpu_saturated: 0.3,
      saturation: 0.4,
      resolved: 0.6,
      transient: 0.3,
      code_exception: 0.25,
      synthetic_only: 0.4,
      schema_mismatch: 0.5,
    },
  );
  const keep = 1 - 0.5 * changeExplainsDependencies(s);
  return has(s, "dep_5xx", "dep_unreachable", "upstream_timeout", "circuit_open")
    ? { ...r, score: r.score * keep }
    : { ...r, score: 0 };
}

function diskFull(s: Signals) {
  return combine(s, {
    disk_full: 0.9,
    persistent_volume: has(s, "disk_full") ? 0.2 : 0,
    ephemeral_tmp: has(s, "disk_full") ? 0.2 : 0,
  });
}

function certExpiry(s: Signals) {
  return combine(s, { cert_expired: 0.92, cert_renewal_failed: 0.4 });
}

function overProvisioned(s: Signals) {
  if (!has(s, "low_utilisation")) return { score: 0, support: [], against: [] };
  return combine(
    s,
    { low_utilisation: 0.55, many_replicas: 0.4, load_low: 0.3, info_severity: 0.25, no_errors: 0.1 },
    {
      server_errors: 0.6,
      error_rate_high: 0.8,
      code_exception: 0.5,
      error_logs: 0.7,
      ...VICTIM,
      upstream_timeout: 0.4,
      cert_expired: 0.8,
      disk_full: 0.6,
      oom_killed: 0.6,
      crashloop: 0.6,
    },
  );
}

function noise(s: Signals) {
  return combine(
    s,
    { resolved: 0.6, transient: 0.4, client_errors_only: 0.4, info_severity: 0.2, no_errors: 0.2 },
    {
      error_rate_high: 0.4,
      load_high: 0.4,
      oom_fatal: 0.5,
      oom_killed: 0.4,
      crashloop: 0.5,
      disk_full: 0.6,
      cert_expired: 0.6,
      code_exception: 0.3,
      cpu_saturated: 0.3,
      memory_growth: 0.4,
      db_lock: 0.4,
    },
  );
}

function unknown(s: Signals) {
  return combine(s, { synthetic_only: 0.6, business_metric: 0.55 });
}

const TABLE: Array<
  [IncidentCategory, (s: Signals) => { score: number; support: SignalKind[]; against: SignalKind[] }]
> = [
  ["memory_leak", memoryLeak],
  ["cpu_runaway", cpuRunaway],
  ["traffic_surge", trafficSurge],
  ["bad_deploy", badDeploy],
  ["crashloop_config", crashloopConfig],
  ["db_latency", dbLatency],
  ["dependency_outage", dependencyOutage],
  ["disk_full", diskFull],
  ["cert_expiry", certExpiry],
  ["over_provisioned", overProvisioned],
  ["noise", noise],
  ["unknown", unknown],
];

/** Every category's score, best first. */
export function scoreCategories(s: Signals): CategoryScore[] {
  return TABLE.map(([category, fn]) => ({ category, ...fn(s) })).sort((a, b) => b.score - a.score);
}
