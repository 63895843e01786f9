/** Every kind of fact the recognisers can report. Names describe the observation, not the fix. */
export type SignalKind =
  // memory
  | "oom_fatal"
  | "oom_killed"
  | "gc_thrash"
  | "memory_high"
  | "memory_growth"
  | "leak_hint"
  // cpu
  | "cpu_saturated"
  | "hot_thread"
  | "event_loop_blocked"
  | "spin_loop"
  // load
  | "load_high"
  | "load_normal"
  | "load_low"
  | "saturation"
  | "campaign"
  // datastores and dependencies
  | "db_pool_exhausted"
  | "db_conn_limit"
  | "db_lock"
  | "db_slow"
  | "dep_unreachable"
  | "dep_5xx"
  | "upstream_timeout"
  | "circuit_open"
  | "deps_healthy"
  | "self_healthy"
  | "app_idle"
  // change and code
  | "recent_deploy"
  | "stale_deploy"
  | "version_change"
  | "config_change"
  | "code_exception"
  | "schema_mismatch"
  | "error_increase"
  | "error_rate_high"
  | "deploy_mentioned"
  // crashes
  | "crashloop"
  | "startup_failure"
  | "config_error"
  | "native_crash"
  // disk
  | "disk_full"
  | "ephemeral_tmp"
  | "persistent_volume"
  // certificates
  | "cert_expired"
  | "cert_renewal_failed"
  | "tls_untrusted"
  // kubernetes and infrastructure
  | "unschedulable"
  | "pvc_unbound"
  | "pod_capacity_full"
  | "image_pull_failed"
  | "command_not_found"
  | "config_missing"
  | "shell_syntax"
  | "permission_denied"
  | "cpu_throttled"
  | "memory_limit_low"
  | "hpa_maxed"
  | "quota_exceeded"
  | "node_not_ready"
  | "node_pressure"
  | "probe_failed"
  | "dns_failure"
  | "egress_blocked"
  | "cluster_partition"
  | "missing_resource"
  | "no_endpoints"
  | "job_failed"
  | "rbac_denied"
  | "port_mismatch"
  | "hpa_no_metrics"
  | "init_failed"
  | "volume_attach"
  | "fd_exhausted"
  | "threads_exhausted"
  | "pool_saturated"
  | "release_locked"
  | "pdb_blocking"
  | "finalizers_stuck"
  | "cron_missed"
  | "credentials_rejected"
  | "upstream_slow"
  | "expected_state"
  // utilisation and noise
  | "low_utilisation"
  | "many_replicas"
  | "resolved"
  | "transient"
  | "client_errors_only"
  | "no_errors"
  | "server_errors"
  | "error_logs"
  | "synthetic_only"
  | "info_severity"
  | "business_metric";

export type SignalSource = "logs" | "context" | "alert";

/** One observation with how strongly it holds (0..1) and a human-readable fact for the evidence list. */
export interface Signal {
  kind: SignalKind;
  strength: number;
  evidence: string;
  source: SignalSource;
}

export function signal(kind: SignalKind, strength: number, evidence: string, source: SignalSource = "logs"): Signal {
  return { kind, strength: Math.max(0, Math.min(1, strength)), evidence, source };
}
