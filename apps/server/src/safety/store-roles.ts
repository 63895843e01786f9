/**
 * What a name says about a component of a store, read from the tokens after the store's name
 * ("redis-exporter", "orders-db-migrator"): the last word of a name is what it is, the words before it
 * whose it is. So "orders-api-db" is the orders API's database (protected) and "orders-db-api" an API
 * in front of the orders database (not protected).
 */

/**
 * Clients of a store: ordinary stateless services that use it through its normal API and are built to
 * be restarted (they reconnect, resume from committed offsets, retry). Restarting, scaling or rolling
 * back one touches no stored data and no other client.
 * - exporters, metrics, monitors: read-only observers.
 * - consumers, producers, workers, connectors, indexers, sync jobs: application traffic with at-least-once
 *   semantics; an interrupted one resumes.
 * - APIs, web frontends and admin UIs (mongo-express, redis-commander): stateless HTTP in front of a client.
 * - operators and controllers: reconcile loops with leader election; the store runs on without them.
 * - agents and injectors (vault-agent-injector): per-pod helpers, not the store.
 */
export const CLIENT_ROLES: ReadonlySet<string> = new Set([
  "exporter",
  "metrics",
  "monitor",
  "monitoring",
  "consumer",
  "producer",
  "client",
  "connect",
  "connector",
  "bridge",
  "rest",
  "worker",
  "indexer",
  "loader",
  "sync",
  "syncer",
  "api",
  "web",
  "ui",
  "admin",
  "dashboard",
  "console",
  "express",
  "commander",
  "operator",
  "controller",
  "agent",
  "injector",
]);

/**
 * Components that are named after a store and look like clients but sit in its data path or act on the
 * store as a whole, so they stay protected:
 * - proxies, poolers, routers (redis-proxy, pgbouncer, mysql-router, mongos): every query of every client
 *   flows through them; restarting one cuts all clients at once, exactly like restarting the store.
 * - sentinels and arbiters: they vote in failover; bouncing one can trigger or block a failover.
 * - backups, dumps, snapshots, WAL archivers: a killed backup silently breaks the recovery point, a dump
 *   holds locks while it runs, and a stopped WAL archiver fills the primary's disk.
 * - restores, migrators, replicators: they write to the store in bulk or change its schema; interrupting
 *   or re-running one half-way can leave data or schema inconsistent.
 */
export const DATA_PATH_ROLES: ReadonlySet<string> = new Set([
  "proxy",
  "pooler",
  "bouncer",
  "router",
  "sentinel",
  "arbiter",
  "backup",
  "dump",
  "snapshot",
  "archiver",
  "restore",
  "migrator",
  "migration",
  "migrate",
  "replicator",
  "replication",
]);

/** The role a token names, plural or not. */
export function roleOf(token: string, roles: ReadonlySet<string>): string | null {
  if (roles.has(token)) return token;
  const singular = token.replace(/s$/, "");
  return roles.has(singular) ? singular : null;
}
