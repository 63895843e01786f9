import { ActionType } from "@aegis/contracts";
import { detectInjection, type InjectionDetector } from "./injection-detector.js";

/** The council's hard policy. Passed in by the composition root; nothing here reads the environment. */
export interface CouncilPolicy {
  /** Actions the council may ever approve; anything else is rejected. */
  allowedActions: readonly ActionType[];
  /**
   * Glob-ish name patterns (see matchesTarget) of targets a human must decide about. The last matching
   * pattern decides and "!pattern" un-protects (see protectingPattern).
   */
  protectedTargets: readonly string[];
  /** Glob-ish name patterns of AegisOps itself: acting on them would kill the pipeline doing the acting. */
  selfTargets: readonly string[];
  /** Upper bound for SCALE_UP replica_count; above it the proposal is rejected, never clamped. */
  maxReplicas: number;
  /** Restarts of one target per hour after which another RESTART needs a human. */
  restartBudgetPerHour: number;
  /** Below this confidence no action is taken without a human. */
  minConfidence: number;
  /** Below this confidence, risky actions backed by thin evidence need a human. */
  reviewConfidence: number;
  detectInjection: InjectionDetector;
}

/** The product and its parts (aegis-agent, aegis-lb, aegis-cockpit, …). */
export const DEFAULT_SELF_TARGETS: readonly string[] = ["aegis*"];

/** Databases and stateful stores: restarting or rolling them back fails over or drops every client. */
export const DEFAULT_STORE_TARGETS: readonly string[] = [
  "postgres*",
  "pg",
  "pgsql",
  "patroni*",
  "mysql*",
  "mariadb*",
  "mssql*",
  "sqlserver*",
  "mongo*",
  "redis*",
  "valkey*",
  "keydb*",
  "memcache*",
  "cassandra*",
  "scylla*",
  "elasticsearch*",
  "opensearch*",
  "solr*",
  "kafka*",
  "zookeeper*",
  "pulsar*",
  "rabbitmq*",
  "etcd*",
  "consul*",
  "vault",
  "clickhouse*",
  "cockroach*",
  "timescale*",
  "influx*",
  "neo4j*",
  "couchdb*",
  "couchbase*",
  "minio*",
  "ceph*",
  "db",
  "*db",
  "database*",
];

/** Clients of a store ("redis-exporter", "orders-kafka-consumer") are ordinary services. */
export const DEFAULT_STORE_CLIENT_EXCEPTIONS: readonly string[] = [
  "!consumer",
  "!producer",
  "!exporter",
  "!client",
  "!connect",
  "!connector",
  "!ui",
  "!api",
  "!web",
  "!worker",
  "!migrator",
  "!operator",
  "!monitor",
  "!metrics",
];

export interface CouncilPolicyOverrides extends Partial<CouncilPolicy> {
  /** Operator patterns (e.g. PROTECTED_TARGETS) appended to protectedTargets; appended last, they always win. */
  extraProtectedTargets?: readonly string[];
}

/** A complete policy: safe defaults with the given overrides applied and checked. */
export function defaultCouncilPolicy(overrides: CouncilPolicyOverrides = {}): CouncilPolicy {
  const { extraProtectedTargets = [], ...rest } = overrides;
  const base: CouncilPolicy = {
    allowedActions: [...ActionType.options],
    // Self patterns last so that no client exception un-protects the product.
    protectedTargets: [...DEFAULT_STORE_TARGETS, ...DEFAULT_STORE_CLIENT_EXCEPTIONS, ...DEFAULT_SELF_TARGETS],
    selfTargets: DEFAULT_SELF_TARGETS,
    maxReplicas: 5,
    restartBudgetPerHour: 3,
    minConfidence: 0.5,
    reviewConfidence: 0.7,
    detectInjection,
    ...rest,
  };
  const policy = { ...base, protectedTargets: [...base.protectedTargets, ...extraProtectedTargets] };
  validate(policy);
  return policy;
}

// A misconfigured safety policy must fail at startup, not quietly approve everything.
function validate(policy: CouncilPolicy): void {
  const unknown = policy.allowedActions.filter((action) => !ActionType.options.includes(action));
  if (unknown.length > 0) throw new RangeError(`council policy: unknown actions ${unknown.join(", ")}`);
  if (!Number.isInteger(policy.maxReplicas) || policy.maxReplicas < 1) {
    throw new RangeError(`council policy: maxReplicas must be a positive integer, got ${policy.maxReplicas}`);
  }
  if (!Number.isInteger(policy.restartBudgetPerHour) || policy.restartBudgetPerHour < 1) {
    throw new RangeError(
      `council policy: restartBudgetPerHour must be a positive integer, got ${policy.restartBudgetPerHour}`,
    );
  }
  for (const [name, value] of [
    ["minConfidence", policy.minConfidence],
    ["reviewConfidence", policy.reviewConfidence],
  ] as const) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`council policy: ${name} must be within 0..1, got ${value}`);
  }
  if (policy.reviewConfidence < policy.minConfidence) {
    throw new RangeError("council policy: reviewConfidence must not be below minConfidence");
  }
}
