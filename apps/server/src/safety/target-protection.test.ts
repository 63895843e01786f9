import { describe, expect, it } from "vitest";
import type { ProtectionKind } from "./protection.js";
import { type ProtectionTarget, TargetProtection } from "./target-protection.js";

const defaults = new TargetProtection();
const kind = (target: ProtectionTarget, protection = defaults): ProtectionKind | null =>
  protection.check(target)?.kind ?? null;

describe("TargetProtection by name", () => {
  it.each<[string, ProtectionKind | null]>([
    // AegisOps itself, whatever role follows: never un-protectable.
    ["aegis-agent", "self"],
    ["aegis-lb", "self"],
    ["AegisOps", "self"],
    ["aegis-exporter", "self"],
    ["prod-aegis-cockpit-0", "self"],
    // Relational.
    ["postgres-primary", "store"],
    ["postgresql-0", "store"],
    ["PostgreSQL", "store"],
    ["orders-mysql-primary", "store"],
    ["mariadb-galera-1", "store"],
    ["mssql-2022", "store"],
    ["oracle-xe", "store"],
    ["cockroachdb-2", "store"],
    ["timescaledb", "store"],
    ["clickhouse-shard1-0", "store"],
    ["patroni-main", "store"],
    // Document, key-value, cache.
    ["mongodb-rs0", "store"],
    ["mongos", "store"],
    ["couchdb-0", "store"],
    ["couchbase-server", "store"],
    ["redis-cache", "store"],
    ["sessions.redis.svc", "store"],
    ["valkey-primary", "store"],
    ["keydb", "store"],
    ["memcached-1", "store"],
    ["etcd-0", "store"],
    // Queues and streams.
    ["kafka-broker-1", "store"],
    ["rabbitmq-0", "store"],
    ["nats-js-0", "store"],
    ["pulsar-broker", "store"],
    ["activemq-artemis", "store"],
    // Search, coordination, secrets, object stores.
    ["elasticsearch-master-0", "store"],
    ["opensearch-data-2", "store"],
    ["solr-1", "store"],
    ["meilisearch", "store"],
    ["zookeeper-2", "store"],
    ["consul-server-0", "store"],
    ["vault", "store"],
    ["vault-0", "store"],
    ["minio-tenant-pool-0", "store"],
    ["rook-ceph-osd-3", "store"],
    // Generic database names, in every casing.
    ["orders-db", "store"],
    ["orders_db_replica", "store"],
    ["ordersDb", "store"],
    ["ordersDB", "store"],
    ["inventory-database", "store"],
    ["user-datastore", "store"],
    ["orders-api-db", "store"], // the orders API's database: the last word decides
    ["OrdersApiDb", "store"],
    // In the data path or acting on the store as a whole: stays protected.
    ["redis-proxy", "store"],
    ["redisProxy", "store"],
    ["pgbouncer", "store"],
    ["pgbouncer-0", "store"],
    ["proxysql", "store"],
    ["mysql-router", "store"],
    ["redis-sentinel-0", "store"],
    ["postgres-backup", "store"],
    ["postgres_backup_cronjob", "store"],
    ["mongodb-dump-nightly", "store"],
    ["postgres-wal-archiver", "store"],
    ["orders-db-migrator", "store"],
    ["orders-db-migrations", "store"],
    ["elasticsearch-restore", "store"],
    // Clients of a store: ordinary services.
    ["redis-exporter", null],
    ["redisExporter", null],
    ["pgbouncer-exporter", null],
    ["mongodb_exporter", null],
    ["kafka-consumer", null],
    ["orders-kafka-consumer", null],
    ["kafka-producer-svc", null],
    ["kafka-connect-0", null],
    ["kafka-ui", null],
    ["mongo-express", null],
    ["redis-commander", null],
    ["postgres-operator", null],
    ["vault-agent-injector", null],
    ["elasticsearch-indexer", null],
    ["orders-db-api", null],
    // No store in the name at all.
    ["checkout-api", null],
    ["payments-api", null],
    ["search-api", null],
    ["dbt-runner", null],
    ["edge-proxy", null],
    ["order-events-consumer", null],
    ["inventory-sync", null],
    ["feedback-api", null],
    ["buggy-app-v2", null],
    ["pgadmin", null],
    ["debug-tools", null],
  ])("%s -> %s", (name, expected) => {
    expect(kind({ names: [name] })).toBe(expected);
  });

  it("names the target and the pattern in the reason", () => {
    expect(defaults.check({ names: ["orders-api-db"] })).toEqual({
      kind: "store",
      pattern: "db",
      reason: 'orders-api-db is a database (matches "db")',
    });
    expect(defaults.check({ names: ["redis-proxy"] })?.reason).toBe(
      'redis-proxy is the proxy of a key-value store or cache (matches "redis*"), in its data path',
    );
    expect(defaults.check({ names: ["aegis-agent"] })?.reason).toBe(
      'aegis-agent is AegisOps itself (matches "aegis*")',
    );
  });
});

describe("TargetProtection by context, labels and operator patterns", () => {
  const operator = TargetProtection.fromList(" ledger , billing-*, kafka-broker-?,, *-critical ");

  it.each<[string, ProtectionTarget, ProtectionKind | null, TargetProtection?]>([
    ["context.protected", { names: ["billing-api"], context: { protected: true } }, "flagged"],
    ["context.protected false", { names: ["billing-api"], context: { protected: false } }, null],
    ["protected as a string is not the flag", { names: ["billing-api"], context: { protected: "true" } }, null],
    ["service names the store", { names: ["cache-0"], context: { service: "redis" } }, "store"],
    ["service names AegisOps", { names: ["web-1"], context: { service: "aegis" } }, "self"],
    ["self beats the flag", { names: ["aegis-agent"], context: { protected: true } }, "self"],
    ["operator exact", { names: ["ledger"] }, "operator", operator],
    ["operator token inside a name", { names: ["prod-ledger-0"] }, "operator", operator],
    ["operator wildcard", { names: ["billing-worker"] }, "operator", operator],
    ["operator wildcard needs its prefix", { names: ["billing"] }, null, operator],
    ["operator ? one character", { names: ["kafka-broker-2"] }, "operator", operator],
    ["operator leading wildcard", { names: ["checkout-critical"] }, "operator", operator],
    ["operator patterns only add", { names: ["redis-exporter"] }, null, operator],
    ["operator cannot beat self", { names: ["aegis-ledger"] }, "self", operator],
    ["no operator patterns by default", { names: ["ledger"] }, null],
    [
      "k8s component database",
      { names: ["orders"], context: { labels: { "app.kubernetes.io/component": "database" } } },
      "label",
    ],
    [
      "explicit opt-in label",
      { names: ["checkout-api"], context: { labels: { "aegis.io/protected": "true" } } },
      "label",
    ],
    ["docker-style opt-in label", { names: ["checkout-api"], labels: { "io.aegis.protected": "yes" } }, "label"],
    [
      "opt-out label does not un-protect",
      { names: ["postgres-0"], context: { labels: { "aegis.io/protected": "false" } } },
      "store",
    ],
    [
      "name label names the store",
      { names: ["orders-7f9c"], context: { labels: { "app.kubernetes.io/name": "postgresql" } } },
      "label",
    ],
    [
      "Bitnami exporter: name redis, component metrics",
      {
        names: ["redis-metrics-7f9"],
        context: { labels: { "app.kubernetes.io/name": "redis", "app.kubernetes.io/component": "metrics" } },
      },
      null,
    ],
    [
      "Bitnami primary: name postgresql, component primary",
      {
        names: ["orders-0"],
        context: { labels: { "app.kubernetes.io/name": "postgresql", "app.kubernetes.io/component": "primary" } },
      },
      "label",
    ],
    [
      "part-of AegisOps",
      { names: ["web-1"], context: { labels: { "app.kubernetes.io/part-of": "aegisops" } } },
      "self",
    ],
    ["compose service label", { names: ["proj_7"], labels: { "com.docker.compose.service": "mysql" } }, "label"],
    [
      "non-string label values are ignored",
      { names: ["checkout-api"], context: { labels: { "aegis.io/protected": true, tier: 1 } } },
      null,
    ],
    ["labels that are not an object", { names: ["checkout-api"], context: { labels: ["database"] } }, null],
    ["ordinary labels", { names: ["checkout-api"], context: { labels: { app: "checkout", tier: "backend" } } }, null],
    ["no names at all", { names: [null, undefined, "  "] }, null],
  ])("%s", (_, target, expected, protection = defaults) => {
    expect(kind(target, protection)).toBe(expected);
  });

  it("reasons name the target and the label", () => {
    expect(
      defaults.check({ names: ["orders"], context: { labels: { "app.kubernetes.io/component": "database" } } })?.reason,
    ).toBe("orders is a stateful store (label app.kubernetes.io/component=database)");
    expect(operator.check({ names: ["billing-worker"] })).toEqual({
      kind: "operator",
      pattern: "billing-*",
      reason: 'billing-worker matches PROTECTED_TARGETS pattern "billing-*"',
    });
    expect(defaults.check({ names: ["billing-api"], context: { protected: true } })?.reason).toBe(
      "billing-api is flagged protected (context.protected is true)",
    );
  });

  it("parses PROTECTED_TARGETS once, as a trimmed comma list", () => {
    expect(operator.operatorPatterns).toEqual(["ledger", "billing-*", "kafka-broker-?", "*-critical"]);
    expect(TargetProtection.fromList(undefined).operatorPatterns).toEqual([]);
    expect(TargetProtection.fromList(" , ").operatorPatterns).toEqual([]);
  });

  it("refuses patterns that try to un-protect", () => {
    expect(() => TargetProtection.fromList("ledger,!postgres*")).toThrow(RangeError);
  });
});
