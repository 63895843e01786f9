import type { EventBus } from "../ports/event-bus.js";
import type { Executor } from "../ports/executor.js";
import type { Logger } from "../shared/logger.js";

/**
 * Pushes `metrics` and `container.list` frames every interval while someone listens. The executor is
 * the server operator's runtime, not any tenant's: its frames belong to the operator's project (the
 * default project), so only that project's connections see them.
 */
export class MetricsTicker {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly executor: Executor,
    private readonly bus: EventBus,
    private readonly operatorProjectId: string,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly hasListeners: () => boolean,
    /** Whether this process collects (with several processes on one database, only the leader does). */
    private readonly collects: () => boolean = () => true,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    if (this.busy || !this.collects() || !this.hasListeners()) return;
    this.busy = true;
    try {
      const [metrics, containers] = await Promise.all([this.executor.metrics(), this.executor.containers()]);
      this.bus.publish(this.operatorProjectId, "metrics", null, metrics);
      this.bus.publish(this.operatorProjectId, "container.list", null, containers);
    } catch (err) {
      this.logger.warn({ err }, "metrics collection failed");
    } finally {
      this.busy = false;
    }
  }
}
