import { sql } from "drizzle-orm";
import type { Executor } from "../ports/executor.js";
import type { LogRing } from "../shared/log-ring.js";
import type { Database } from "../store/database.js";
import { CpuProfiler } from "./cpu-profiler.js";
import { JaegerTraces } from "./jaeger-traces.js";
import { RequestStats } from "./request-stats.js";
import { type ProductGauges, RuntimeMetrics } from "./runtime-metrics.js";
import { ServiceLogs } from "./service-logs.js";
import { type Probe, SystemStatus } from "./system-status.js";

/** Seed 003 live monitoring's services (ADR 0016), wired once at start-up. */
export interface MonitoringCenter {
  ring: LogRing;
  serviceLogs: ServiceLogs;
  requests: RequestStats;
  metrics: RuntimeMetrics;
  status: SystemStatus;
  /** Null when no trace source is configured (AEGIS_TRACES_URL). */
  traces: JaegerTraces | null;
  profiler: CpuProfiler;
  /** Open SSE streams (counted by the stream routes). */
  sse: { open: number };
  /** Open `/api/v1/monitoring/ws/metrics` connections. */
  wsMetrics: { open: number };
  close(): void;
}

export interface MonitoringDeps {
  database: Database;
  ring: LogRing;
  executor: Pick<Executor, "kind" | "targets" | "containers">;
  /** `<dataDir>/logs` of the local executor, or null when it writes none. */
  serviceLogDir: string | null;
  tracesUrl: string | undefined;
  queueDepth: ProductGauges["queueDepth"];
  websocketClients: () => number;
  /** Extra component probes (the predictive monitor, …). */
  probes?: Record<string, Probe>;
}

export function createMonitoringCenter(d: MonitoringDeps): MonitoringCenter {
  const requests = new RequestStats();
  const sse = { open: 0 };
  const wsMetrics = { open: 0 };
  const traces = d.tracesUrl ? new JaegerTraces(d.tracesUrl) : null;
  const metrics = new RuntimeMetrics(requests, {
    queueDepth: d.queueDepth,
    connections: () => ({ websocket: d.websocketClients() + wsMetrics.open, sse: sse.open }),
  });
  const status = new SystemStatus({
    database: async () => {
      await d.database.db.execute(sql`select 1`);
      return { status: "up", detail: `${d.database.kind} answers`, info: { kind: d.database.kind } };
    },
    executor: async () => {
      const containers = await d.executor.containers();
      const running = containers.filter((c) => c.status === "running").length;
      const targets = d.executor.targets();
      return {
        status: targets.length > 0 && running === 0 ? "degraded" : "up",
        detail: `${d.executor.kind}: ${running} of ${containers.length} instance(s) running for ${targets.length} target(s)`,
        info: {
          kind: d.executor.kind,
          targets,
          instances: containers.map((c) => ({ name: c.name, status: c.status })),
        },
      };
    },
    pipeline: async () => {
      const depth = await d.queueDepth();
      return { status: "up", detail: `${depth} job(s) queued or running`, info: { queue_depth: depth } };
    },
    traces: async () =>
      traces
        ? {
            ...(await traces.services().then(() => ({ status: "up" as const, detail: `Jaeger at ${traces.baseUrl}` }))),
          }
        : { status: "not_configured", detail: "no trace source: set AEGIS_TRACES_URL to a Jaeger query API" },
    ...d.probes,
  });
  return {
    ring: d.ring,
    serviceLogs: new ServiceLogs(d.serviceLogDir),
    requests,
    metrics,
    status,
    traces,
    profiler: new CpuProfiler(),
    sse,
    wsMetrics,
    close: () => metrics.close(),
  };
}
