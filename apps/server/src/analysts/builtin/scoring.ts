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
  // `for…in` over the literal weight objects (own members only, in insertion order, as `Object.entries`),
  // not `Object.entries`: ~30 categories score each incident, and the entry arrays were 8 % of everything a
  // storm allocated (ADR 0025, eighth round).
  let miss = 1;
  const used: Array<[SignalKind, number]> = [];
  for (const k in support) {
    const c = (support[k as SignalKind] as number) * strength(s, k as SignalKind);
    if (c > 0) {
      miss *= 1 - c;
      used.push([k as SignalKind, c]);
    }
  }
  let keep = 1;
  const contra: SignalKind[] = [];
  for (const k in against) {
    const c = (against[k as SignalKind] as number) * strength(s, k as SignalKind);
    if (c > 0) {
      keep *= 1 - c;
      contra.push(k as SignalKind);
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
    {
      ...VICTIM,
      disk_full: 0.5,
      cert_expired: 0.6,
      config_error: 0.5,
      load_high: 0.15,
      hot_thread: 0.3,
      memory_limit_low: 0.55,
      threads_exhausted: 0.8,
      fd_exhausted: 0.6,
    },
  );
}

function cpuRunaway(s: Signals) {
  // Busy CPU only points at a runaway when load is not the reason.
  const busy = has(s, "load_high") ? {} : { cpu_saturated: 0.3, load_normal: has(s, "cpu_saturated") ? 0.25 : 0 };
  return combine(
    s,
    { hot_thread: 0.6, event_loop_blocked: 0.5, spin_loop: 0.55, ...busy },
    { load_high: 0.6, saturation: 0.3, gc_thrash: 0.45, oom_fatal: 0.3, hpa_maxed: 0.7, ...VICTIM },
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

/** Platform and resource causes that explain an exception better than the code does. */
const INFRA_CAUSES: Weights = {
  oom_fatal: 0.6,
  oom_killed: 0.5,
  memory_limit_low: 0.7,
  disk_full: 0.6,
  cert_expired: 0.7,
  dns_failure: 0.6,
  egress_blocked: 0.6,
  config_missing: 0.7,
  command_not_found: 0.7,
  image_pull_failed: 0.7,
  missing_resource: 0.6,
  node_pressure: 0.5,
  unschedulable: 0.7,
  job_failed: 0.4,
  tls_untrusted: 0.7,
  rbac_denied: 0.6,
  port_mismatch: 0.6,
  hpa_no_metrics: 0.5,
  init_failed: 0.5,
  volume_attach: 0.5,
  credentials_rejected: 0.7,
  fd_exhausted: 0.5,
  threads_exhausted: 0.5,
  pool_saturated: 0.4,
  release_locked: 0.6,
  pdb_blocking: 0.6,
  finalizers_stuck: 0.6,
  cron_missed: 0.6,
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
      upstream_slow: 0.6,
      job_failed: has(s, "dep_unreachable") ? 0.3 : 0,
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
      dns_failure: 0.6,
      egress_blocked: 0.6,
      cluster_partition: 0.5,
      image_pull_failed: 0.6,
      pvc_unbound: 0.7,
      unschedulable: 0.6,
      missing_resource: 0.6,
      command_not_found: 0.6,
      tls_untrusted: 0.8,
      port_mismatch: 0.8,
      rbac_denied: 0.6,
      credentials_rejected: 0.8,
    },
  );
  const keep = 1 - 0.5 * changeExplainsDependencies(s);
  return has(s, "dep_5xx", "dep_unreachable", "upstream_timeout", "circuit_open", "upstream_slow")
    ? { ...r, score: r.score * keep }
    : { ...r, score: 0 };
}

function diskFull(s: Signals) {
  return combine(
    s,
    {
      disk_full: 0.9,
      persistent_volume: has(s, "disk_full") ? 0.2 : 0,
      ephemeral_tmp: has(s, "disk_full") ? 0.2 : 0,
    },
    // A node evicting pods for low storage is node pressure, not the app's own volume.
    { node_pressure: 0.6 },
  );
}

function certExpiry(s: Signals) {
  return combine(s, { cert_expired: 0.92, tls_untrusted: 0.88, cert_renewal_failed: 0.4 });
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

/** Signals of a concrete fault: a workload showing any of them is not "healthy". */
const FAULTS: Weights = {
  oom_fatal: 0.8,
  oom_killed: 0.8,
  crashloop: 0.7,
  error_rate_high: 0.7,
  server_errors: 0.5,
  code_exception: 0.5,
  dep_unreachable: 0.6,
  cert_expired: 0.8,
  disk_full: 0.7,
  unschedulable: 0.9,
  pvc_unbound: 0.9,
  image_pull_failed: 0.9,
  command_not_found: 0.9,
  config_missing: 0.8,
  cpu_throttled: 0.8,
  memory_limit_low: 0.8,
  hpa_maxed: 0.7,
  quota_exceeded: 0.8,
  node_not_ready: 0.8,
  job_failed: 0.8,
  node_pressure: 0.8,
  probe_failed: 0.7,
  dns_failure: 0.8,
  missing_resource: 0.8,
  no_endpoints: 0.8,
  db_slow: 0.7,
  tls_untrusted: 0.8,
  rbac_denied: 0.8,
  port_mismatch: 0.8,
  hpa_no_metrics: 0.7,
  init_failed: 0.8,
  volume_attach: 0.8,
  fd_exhausted: 0.8,
  threads_exhausted: 0.8,
  pool_saturated: 0.7,
  credentials_rejected: 0.8,
  upstream_slow: 0.7,
  release_locked: 0.8,
  pdb_blocking: 0.8,
  finalizers_stuck: 0.8,
  cron_missed: 0.8,
};

/** A recent change makes a broken start a bad deploy (roll it back) rather than a spec to fix by hand. */
const CHANGE: Weights = { config_change: 0.6, recent_deploy: 0.5 };

function schedulingFailure(s: Signals) {
  return combine(s, { pvc_unbound: 0.92, unschedulable: 0.9, quota_exceeded: 0.9 }, { resolved: 0.6 });
}

function startFailure(s: Signals) {
  return combine(
    s,
    {
      command_not_found: 0.93,
      image_pull_failed: 0.92,
      config_missing: 0.85,
      shell_syntax: 0.85,
      permission_denied: 0.5,
      init_failed: 0.86,
      volume_attach: 0.86,
      credentials_rejected: 0.86,
      crashloop: has(
        s,
        "command_not_found",
        "config_missing",
        "shell_syntax",
        "permission_denied",
        "init_failed",
        "volume_attach",
      )
        ? 0.2
        : 0,
    },
    { ...CHANGE, resolved: 0.6, cert_expired: 0.5 },
  );
}

function resourceLimit(s: Signals) {
  // Throttling that a spinning or blocked thread explains is a runaway, not a limit set too low.
  const cpu = combine(
    s,
    { cpu_throttled: 0.88 },
    { spin_loop: 0.8, hot_thread: 0.7, event_loop_blocked: 0.6, load_high: 0.5, resolved: 0.6 },
  );
  // An early OOM kill is a limit too low unless memory is seen growing (a leak) or load explains it.
  const memory = combine(
    s,
    { memory_limit_low: 0.9 },
    { memory_growth: 0.8, leak_hint: 0.6, load_high: 0.4, resolved: 0.6 },
  );
  // An autoscaler held at its ceiling: the ceiling is the limit (a runaway thread is not load).
  const ceiling = combine(
    s,
    { hpa_maxed: 0.85 },
    { spin_loop: 0.7, hot_thread: 0.6, resolved: 0.6, hpa_no_metrics: 0.8 },
  );
  // An operating-system limit (descriptors, threads) reached by the process.
  const process = combine(
    s,
    { fd_exhausted: 0.86, threads_exhausted: 0.86, pool_saturated: 0.84 },
    // A pool full under a surge is the surge's symptom (scale out), not a pool sized too small.
    { resolved: 0.6, ...(has(s, "fd_exhausted", "threads_exhausted") ? {} : { load_high: 0.9, campaign: 0.6 }) },
  );
  return [cpu, memory, ceiling, process].reduce((a, b) => (b.score > a.score ? b : a));
}

// Built once: FAULTS is large, and these two are read for every incident.
const PROBE_AGAINST: Weights = {
  resolved: 0.8,
  transient: 0.5,
  ...FAULTS,
  probe_failed: 0,
  crashloop: 0,
  server_errors: 0,
  error_rate_high: 0,
};
const HEALTHY_AGAINST: Weights = { ...FAULTS, error_logs: 0.4, load_high: 0.5, memory_growth: 0.5 };

function probeFailure(s: Signals) {
  // A probe failure is usually a symptom: any named cause outranks it.
  return combine(s, { probe_failed: 0.7 }, PROBE_AGAINST);
}

function nodePressure(s: Signals) {
  return combine(s, { pod_capacity_full: 0.92, node_pressure: 0.9, node_not_ready: 0.85 }, { resolved: 0.6 });
}

/**
 * The code throws with nothing else to blame: no change on record (that is a bad deploy), no
 * dependency, resource or platform cause. A human fixes the code or picks a version to roll back to.
 */
function appError(s: Signals) {
  if (!has(s, "code_exception")) return { score: 0, support: [], against: [] };
  return combine(
    s,
    { code_exception: 0.7, crashloop: 0.2, error_rate_high: 0.15, server_errors: 0.1 },
    {
      recent_deploy: 0.7,
      version_change: 0.5,
      deploy_mentioned: 0.4,
      config_change: 0.5,
      config_error: 0.5,
      schema_mismatch: 0.6,
      ...VICTIM,
      ...INFRA_CAUSES,
      resolved: 0.6,
    },
  );
}

/** A Job that used up its retries, unless a more specific cause of its pods' failures is named. */
function jobFailure(s: Signals) {
  return combine(
    s,
    { job_failed: 0.8 },
    {
      dns_failure: 0.7,
      egress_blocked: 0.7,
      dep_unreachable: 0.6,
      image_pull_failed: 0.7,
      command_not_found: 0.7,
      config_missing: 0.7,
      shell_syntax: 0.6,
      memory_limit_low: 0.7,
      oom_killed: 0.5,
      missing_resource: 0.6,
      resolved: 0.6,
    },
  );
}

function networkFailure(s: Signals) {
  // A deny-egress policy only explains failures that are there.
  const failing = has(s, "dns_failure", "dep_unreachable", "upstream_timeout");
  return combine(
    s,
    { egress_blocked: failing ? 1 : 0, dns_failure: 0.85, cluster_partition: 0.9, port_mismatch: 0.88 },
    { resolved: 0.6, image_pull_failed: 0.5 },
  );
}

function missingResource(s: Signals) {
  return combine(
    s,
    { missing_resource: 0.9, no_endpoints: 0.85, rbac_denied: 0.88, hpa_no_metrics: 0.86 },
    { resolved: 0.6 },
  );
}

function operationBlocked(s: Signals) {
  return combine(
    s,
    { release_locked: 0.9, pdb_blocking: 0.88, finalizers_stuck: 0.88, cron_missed: 0.86 },
    { resolved: 0.6 },
  );
}

function healthy(s: Signals) {
  return combine(s, { expected_state: 0.85 }, HEALTHY_AGAINST);
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
  ["scheduling_failure", schedulingFailure],
  ["start_failure", startFailure],
  ["resource_limit", resourceLimit],
  ["probe_failure", probeFailure],
  ["node_pressure", nodePressure],
  ["network_failure", networkFailure],
  ["missing_resource", missingResource],
  ["job_failure", jobFailure],
  ["operation_blocked", operationBlocked],
  ["app_error", appError],
  ["healthy", healthy],
  ["over_provisioned", overProvisioned],
  ["noise", noise],
  ["unknown", unknown],
];

/** Every category's score, best first. */
export function scoreCategories(s: Signals): CategoryScore[] {
  return TABLE.map(([category, fn]) => ({ category, ...fn(s) })).sort((a, b) => b.score - a.score);
}
