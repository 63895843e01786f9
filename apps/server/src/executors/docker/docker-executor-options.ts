import type { NodeImageSpec } from "./node-image.js";

/** Minimal logger the executor needs; a pino logger fits. */
export interface DockerExecutorLogger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

/** A container the product creates and owns (the demo app): rebuilt at start, removed at stop. */
export interface OwnedContainerSpec {
  name: string;
  image: NodeImageSpec;
  /** Tag run first; the deploy history records the other tags before it, oldest first. */
  tag: string;
  previousTags: string[];
  env: Record<string, string>;
  /** Host port published to the container's port (null: none). */
  hostPort: number | null;
  healthPath: string;
  /** Env var receiving the container's name, so a replica reports itself as `<name>-replica-<i>`. */
  nameEnv?: string;
  /** Env var receiving the watchdog's webhook URL (reached through the balancer's relay). */
  webhookEnv?: string;
}

export interface DockerExecutorOptions {
  /** Unix socket of the Docker Engine API. */
  socketPath: string;
  /** User-defined bridge network the owned containers and replicas join (created when missing). */
  network: string;
  /** Existing containers to manage, by name (adopted, never removed). */
  targets: string[];
  owned: OwnedContainerSpec[];
  /** Target the balancer fronts (default the first owned, else the first target). */
  lbTarget?: string;
  nginx: { binary: string; listenHost: string; listenPort: number };
  /** The product's webhook, relayed by nginx onto the network for the containers' watchdogs. */
  webhook?: { host: string; port: number; path: string };
  /** nginx config, deploy history. */
  dataDir: string;
  logger: DockerExecutorLogger;
  maxReplicas: number;
  /** Seconds `docker stop` waits after SIGTERM (default 3). */
  stopGraceSecs?: number;
  /** Wait-for-healthy bound after a start (default 30000). */
  readyTimeoutMs?: number;
  /** Extra labels on everything created (tests find their containers by them). */
  labels?: Record<string, string>;
  /** Remove owned containers, their replicas and a network created here on stop (default true). */
  removeOwnedOnStop?: boolean;
}
