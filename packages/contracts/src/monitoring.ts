import { z } from "zod";

export const MonitoringLogLevel = z.enum(["trace", "debug", "info", "warn", "error", "fatal"]);
export type MonitoringLogLevel = z.infer<typeof MonitoringLogLevel>;

/** One log line: the product's own (with an id and time) or a managed service's (with neither). */
export const MonitoringLogEntry = z.object({
  id: z.number().int().nullable(),
  timestamp: z.string().nullable(),
  level: MonitoringLogLevel,
  source: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()),
});
export type MonitoringLogEntry = z.infer<typeof MonitoringLogEntry>;

export const MonitoringLogs = z.object({
  items: z.array(MonitoringLogEntry),
  total: z.number().int(),
  sources: z.array(z.string()),
});

export const ComponentState = z.object({
  name: z.string(),
  status: z.enum(["up", "degraded", "down", "not_configured"]),
  detail: z.string(),
  latency_ms: z.number().optional(),
  info: z.record(z.string(), z.unknown()).optional(),
});

export const MonitoringStatus = z.object({
  status: z.enum(["healthy", "degraded", "down"]),
  timestamp: z.string(),
  version: z.string(),
  components: z.array(ComponentState),
});

export const RuntimeMetricsSnapshot = z.object({
  timestamp: z.string(),
  process: z.object({
    pid: z.number().int(),
    uptime_seconds: z.number(),
    node_version: z.string(),
    cpu_percent: z.number(),
    memory_mb: z.object({ rss: z.number(), heap_used: z.number(), heap_total: z.number(), external: z.number() }),
    event_loop: z.object({
      delay_ms: z.object({ mean: z.number(), p50: z.number(), p99: z.number(), max: z.number() }),
      utilization: z.number(),
    }),
  }),
  pipeline: z.object({ queue_depth: z.number().int() }),
  requests: z.object({
    window_seconds: z.number(),
    requests: z.number().int(),
    per_second: z.number(),
    client_errors: z.number().int(),
    server_errors: z.number().int(),
    latency_ms: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
    total_since_start: z.number().int(),
  }),
  connections: z.object({ websocket: z.number().int(), sse: z.number().int() }),
});

/** Why a source-backed answer has no data: nothing configured, said plainly. */
export const NotConfigured = z.object({ configured: z.literal(false), reason: z.string() });

export const TraceSpan = z.object({
  span_id: z.string(),
  parent_span_id: z.string().nullable(),
  service: z.string(),
  operation: z.string(),
  start_time: z.string(),
  duration_ms: z.number(),
  error: z.boolean(),
});

export const TraceSummary = z.object({
  trace_id: z.string(),
  root_service: z.string(),
  root_operation: z.string(),
  start_time: z.string(),
  duration_ms: z.number(),
  span_count: z.number().int(),
  error_count: z.number().int(),
  services: z.array(z.string()),
  spans: z.array(TraceSpan),
});

export const TracesAnswer = z.union([
  z.object({
    configured: z.literal(true),
    source: z.string(),
    service: z.string().nullable(),
    services: z.array(z.string()).optional(),
    traces: z.array(TraceSummary),
  }),
  NotConfigured,
]);

export const HotFunction = z.object({
  function: z.string(),
  location: z.string(),
  self_ms: z.number(),
  self_percent: z.number(),
  samples: z.number().int(),
});

export const ProfilingAnswer = z.union([
  z.object({
    configured: z.literal(true),
    service: z.string(),
    type: z.literal("cpu"),
    duration_ms: z.number(),
    samples: z.number().int(),
    sampling_interval_us: z.number(),
    hot_functions: z.array(HotFunction),
    profile: z.unknown().optional(),
  }),
  NotConfigured,
]);

export const ActiveMonitoringAlert = z.object({
  source: z.enum(["predictive_monitor", "incident"]),
  id: z.string(),
  title: z.string(),
  severity: z.string().nullable(),
  service: z.string().nullable(),
  status: z.string(),
  since: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const ActiveMonitoringAlerts = z.object({
  items: z.array(ActiveMonitoringAlert),
  total: z.number().int(),
  by_source: z.object({ predictive_monitor: z.number().int(), incident: z.number().int() }),
});
