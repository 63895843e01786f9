import { type EventLoopUtilization, monitorEventLoopDelay, performance } from "node:perf_hooks";
import type { RequestStats } from "./request-stats.js";

export interface ProductGauges {
  /** Pipeline jobs waiting or running (the durable queue). */
  queueDepth(): Promise<number>;
  /** Open WebSocket connections (both hubs) and SSE streams. */
  connections(): { websocket: number; sse: number };
}

/** Nanoseconds as milliseconds; a histogram with no samples yet reports NaN, which is 0 here. */
const ms = (ns: number) => (Number.isFinite(ns) ? Math.round((ns / 1e6) * 100) / 100 : 0);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** The server's own runtime figures (event loop, memory, CPU) and the product's (queue, requests, connections). */
export class RuntimeMetrics {
  private readonly delay = monitorEventLoopDelay({ resolution: 20 });
  private lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  constructor(
    private readonly requests: RequestStats,
    private readonly gauges: ProductGauges,
  ) {
    this.delay.enable();
  }

  /** Figures since the previous snapshot (CPU, event loop) and now (memory, queue). */
  async snapshot() {
    const now = performance.now();
    const elu = performance.eventLoopUtilization(this.lastElu);
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedUs = Math.max(1, (now - this.lastAt) * 1000);
    this.lastElu = performance.eventLoopUtilization();
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const loop = {
      delay_ms: {
        mean: ms(this.delay.mean),
        p50: ms(this.delay.percentile(50)),
        p99: ms(this.delay.percentile(99)),
        max: ms(this.delay.max),
      },
      utilization: Math.round(elu.utilization * 1000) / 1000,
    };
    this.delay.reset();
    const mem = process.memoryUsage();
    return {
      timestamp: new Date().toISOString(),
      process: {
        pid: process.pid,
        uptime_seconds: Math.round(process.uptime()),
        node_version: process.version,
        cpu_percent: Math.round(((cpu.user + cpu.system) / elapsedUs) * 1000) / 10,
        memory_mb: {
          rss: mb(mem.rss),
          heap_used: mb(mem.heapUsed),
          heap_total: mb(mem.heapTotal),
          external: mb(mem.external),
        },
        event_loop: loop,
      },
      pipeline: { queue_depth: await this.gauges.queueDepth() },
      requests: this.requests.snapshot(),
      connections: this.gauges.connections(),
    };
  }

  close(): void {
    this.delay.disable();
  }
}

export type RuntimeSnapshot = Awaited<ReturnType<RuntimeMetrics["snapshot"]>>;
