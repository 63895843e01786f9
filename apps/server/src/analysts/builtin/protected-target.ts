import type { AnalysisInput } from "../analyst.js";

/** Stateful systems and the agent itself: never restart, roll back or shrink them automatically. */
const STATEFUL = new Set([
  "postgres",
  "postgresql",
  "pg",
  "mysql",
  "mariadb",
  "mongo",
  "mongodb",
  "mongod",
  "redis",
  "valkey",
  "etcd",
  "cassandra",
  "scylla",
  "elasticsearch",
  "opensearch",
  "zookeeper",
  "clickhouse",
  "cockroach",
  "cockroachdb",
  "vault",
  "consul",
  "db",
  "database",
  "rabbitmq",
  "nats",
  "minio",
]);
const CLIENT_ROLE = new Set([
  "exporter",
  "proxy",
  "bouncer",
  "client",
  "consumer",
  "producer",
  "connector",
  "ui",
  "admin",
  "operator",
  "sync",
  "backup",
]);

function tokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export interface ProtectedTarget {
  reason: string;
  /** The remediation agent itself: nothing to propose but NOOP. */
  self: boolean;
}

/** Why the target must not be touched automatically, or null. */
export function protectedTarget(input: AnalysisInput): ProtectedTarget | null {
  const reason = protectedReason(input);
  if (!reason) return null;
  const self = [input.containerName, input.context?.service].some((n) => n && tokens(n)[0] === "aegis");
  return { reason, self };
}

function protectedReason(input: AnalysisInput): string | null {
  if (input.context?.protected === true) return "the target is flagged protected";
  for (const name of [input.containerName, input.context?.service]) {
    if (!name) continue;
    const t = tokens(name);
    if (t[0] === "aegis") return `"${name}" is the remediation agent itself`;
    if (t.some((x) => CLIENT_ROLE.has(x))) continue;
    const hit = t.find((x) => STATEFUL.has(x) || /^(?:postgres|mysql|mongo|redis|kafka)\d*$/.test(x));
    if (hit) return `"${name}" is a stateful datastore (${hit})`;
  }
  return null;
}
