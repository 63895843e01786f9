export type ComponentStatus = "up" | "degraded" | "down" | "not_configured";

export interface ComponentState {
  name: string;
  status: ComponentStatus;
  detail: string;
  latency_ms?: number;
  info?: Record<string, unknown>;
}

/** A check of one component; throwing means it is down. */
export type Probe = () => Promise<Omit<ComponentState, "name" | "latency_ms">>;

/** Each component probed now (in parallel, each within a time budget), and the overall state from theirs. */
export class SystemStatus {
  constructor(
    private readonly probes: Record<string, Probe>,
    private readonly timeoutMs = 3000,
  ) {}

  async check(): Promise<{
    status: "healthy" | "degraded" | "down";
    timestamp: string;
    components: ComponentState[];
  }> {
    const components = await Promise.all(
      Object.entries(this.probes).map(async ([name, probe]): Promise<ComponentState> => {
        const started = performance.now();
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
          });
          const state = await Promise.race([probe(), timeout]);
          return { name, ...state, latency_ms: Math.round((performance.now() - started) * 100) / 100 };
        } catch (err) {
          return { name, status: "down", detail: err instanceof Error ? err.message : String(err) };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const down = components.filter((c) => c.status === "down").map((c) => c.name);
    const status = down.includes("database")
      ? "down"
      : down.length > 0 || components.some((c) => c.status === "degraded")
        ? "degraded"
        : "healthy";
    return { status, timestamp: new Date().toISOString(), components };
  }
}
