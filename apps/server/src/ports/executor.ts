import type { ContainerInfo, ContainerMetrics, ScaleDownResult, ScaleEvent, Topology } from "@aegis/contracts";

export interface HealthProbe {
  healthy: boolean;
  detail: string;
}

export interface RestartResult {
  target: string;
  /** Runtime status after the restart ("running"). */
  status: string;
}

export interface RollbackResult {
  target: string;
  fromVersion: string;
  toVersion: string;
  status: string;
}

/** What the runtime says about one target, like `docker inspect` / `kubectl describe` (for evidence). */
export interface RuntimeState {
  target: string;
  /** The runtime's id of the instance (a container id). */
  id: string;
  image: string;
  /** "running", "exited", "restarting", … as the runtime names it. */
  status: string;
  exitCode: number | null;
  oomKilled: boolean;
  restartCount: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** The runtime's own error text for the instance, if any. */
  error: string | null;
}

/** One event the runtime recorded for a target (`docker events`, Kubernetes events). */
export interface RuntimeEvent {
  /** ISO 8601. */
  at: string;
  /** What happened, in the runtime's words: "die", "oom", "kill", "start", "restart", … */
  action: string;
  /** The runtime's attributes of the event (exit code, signal, image, …). */
  detail: Record<string, string>;
}

/** Port: the runtime AegisOps acts on (local processes, Docker, Kubernetes). */
export interface Executor {
  readonly kind: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Declared target names (the base services, not replicas). */
  targets(): string[];
  /** Whether this executor manages the named target (base service or replica). */
  has(target: string): boolean;
  restart(target: string): Promise<RestartResult>;
  /** Bring the target to `count` replicas (in addition to the base instance). */
  scaleUp(target: string, count: number): Promise<ScaleEvent>;
  /** Remove all replicas of the target. */
  scaleDown(target: string): Promise<ScaleDownResult>;
  rollback(target: string): Promise<RollbackResult>;
  /** Whether a previous version is declared for the target. */
  canRollback(target: string): boolean;
  /** One health probe of the target, bounded by timeoutMs. */
  probe(target: string, timeoutMs: number): Promise<HealthProbe>;
  replicaCount(target: string): number;
  containers(): Promise<ContainerInfo[]>;
  metrics(): Promise<ContainerMetrics[]>;
  topology(): Promise<Topology>;
  /** Last lines of the target's output, for investigation. */
  logs(target: string, lines: number): Promise<string>;
  /** Optional: the runtime's state of the target (executors that have one, e.g. Docker). */
  inspect?(target: string): Promise<RuntimeState>;
  /** Optional: the runtime's events of the target in the last `sinceSeconds`, oldest first. */
  events?(target: string, sinceSeconds: number): Promise<RuntimeEvent[]>;
}
