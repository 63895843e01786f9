/** Minimal logger the executor needs; a pino logger fits. */
export interface ExecutorLogger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

/** One supervised service (the base instance; replicas are copies on other ports). */
export interface ServiceSpec {
  name: string;
  /** Executable, e.g. process.execPath. */
  command: string;
  args: string[];
  /** Port of the base instance (0 = allocate one at start, then keep it across restarts). */
  port: number;
  env: Record<string, string>;
  /** Display string shown as the "image", e.g. "local/buggy-app:v2". A trailing `:<version>` follows rollbacks. */
  image: string;
  healthPath: string;
  /** Deploy history: `previous` is most recent first. */
  versions?: { current: string; previous?: string[] };
  /** Env var carrying the version to run (default APP_VERSION). */
  versionEnv?: string;
  /** Env var that receives the instance name, so a replica reports itself as `<name>-replica-<i>`. */
  nameEnv?: string;
  /**
   * When a started instance counts as ready: `healthy` (default) waits for a 2xx health answer;
   * `responding` accepts any HTTP answer, so a deliberately unhealthy version (bad deploy demo) still starts.
   */
  readyWhen?: "healthy" | "responding";
  cwd?: string;
}

export interface LocalExecutorOptions {
  services: ServiceSpec[];
  /** Load balancer port (0 = ephemeral, read it back with `lbAddress()`). */
  lbPort: number;
  lbHost?: string;
  /** Host the children listen on and are reached at (default 127.0.0.1). */
  host?: string;
  logger: ExecutorLogger;
  /** SIGTERM grace before SIGKILL (default 3000). */
  gracefulStopMs?: number;
  /** Ports for replicas (and base services declared with port 0); default asks the OS. */
  portAllocator?: () => Promise<number>;
  /** When set, each instance's output is also appended to `<dataDir>/logs/<name>.log`. */
  dataDir?: string;
  /** Wait-for-ready bound per start (default 15000). */
  readyTimeoutMs?: number;
  /** Output lines kept per instance for logs() (default 500). */
  logLines?: number;
  /** Hard cap on replicas per service (default 10). */
  maxReplicas?: number;
  /** memory_limit_mb in metrics; default the host's total memory. */
  memoryLimitMb?: number;
  /** Load balancer active health-check period (default 1000). */
  healthCheckIntervalMs?: number;
  /** Service the load balancer fronts (default the first declared). */
  lbService?: string;
  /** Variables copied from the server's environment into children (default PATH, HOME, TMPDIR, LANG, TZ). */
  inheritEnv?: string[];
  agentName?: string;
  agentImage?: string;
  lbName?: string;
  lbImage?: string;
}
