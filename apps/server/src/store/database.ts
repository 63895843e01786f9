import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { initPgliteCluster, PgliteWorkerClient } from "./pglite-worker-client.js";
import * as schema from "./schema.js";

/**
 * A Drizzle database or transaction handle (a transaction is a database too). Built without the schema:
 * the product writes its queries with the query builder and `sql`, never Drizzle's relational `db.query`,
 * and a handle built with a schema makes a relational query builder per table for every transaction
 * (warm, an empty transaction on PostgreSQL cost this thread 0.11–0.13 ms with it, 0.07–0.08 without:
 * ADR 0025, seventeenth round).
 */
export type Db = PgDatabase<PgQueryResultHKT>;

/** `COPY … FROM '/dev/blob'` with `data` as the file: the embedded database reads it as one statement. */
export type CopyFrom = (sql: string, data: Uint8Array) => Promise<void>;

export interface Database {
  readonly db: Db;
  readonly kind: "pglite" | "postgres";
  /**
   * True when this process is the only one that can use the database (embedded PGlite owns its
   * data dir), so jobs left `running` at start-up are orphans of a crash and can be reclaimed at once.
   */
  readonly exclusive: boolean;
  /**
   * A full garbage collection of every thread this database runs on inside the process (the embedded
   * database's worker thread; nothing for PostgreSQL, whose memory is another process's).
   */
  collectGarbage(): Promise<void>;
  /** Bulk load from bytes: embedded PGlite only (PostgreSQL's `COPY FROM STDIN` needs a driver this server does not carry). */
  readonly copyFrom?: CopyFrom;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; unset means embedded PGlite. */
  url?: string | undefined;
  /** Directory of the embedded database (ignored with a URL). `memory://` for an in-memory one. */
  pgliteDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export const DEFAULT_PROJECT_ID = "default";
const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

/** Open the configured database, run migrations and make sure the default project exists. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const database = opts.url ? await openPostgres(opts.url, opts.poolSize ?? 10) : await openPglite(opts.pgliteDir);
  await database.db
    .insert(schema.projects)
    .values({ id: DEFAULT_PROJECT_ID, name: "Default project" })
    .onConflictDoNothing();
  return database;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // Each driver is loaded only when chosen: an embedded-database process never holds the PostgreSQL client.
  const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
    import("drizzle-orm/node-postgres/migrator"),
  ]);
  // Pipelined connections: statements sent together (`runAtomically`, the ingest's reads and writes) go out
  // without waiting for each other's answers, and PostgreSQL runs them in the order sent. A statement
  // awaited before the next is sent, as most are, behaves as without (ADR 0025, seventeenth round).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, pipeline: true });
  // An idle connection the server ends (a PostgreSQL restart, a failover, an administrator's terminate)
  // is dropped from the pool and the next query opens a new one; unheard, its error would crash the process.
  pool.on("error", () => undefined);
  const db = drizzlePg(pool);
  // Several servers may start together on one database: serialise their migrations.
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock(727001)");
    await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS });
  } finally {
    await client.query("select pg_advisory_unlock(727001)").catch(() => undefined);
    client.release();
  }
  return {
    db: db as unknown as Db,
    kind: "postgres",
    exclusive: false,
    collectGarbage: () => Promise.resolve(),
    close: () => pool.end(),
  };
}

async function openPglite(dir: string | undefined): Promise<Database> {
  const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  const target = dir ?? "memory://";
  if (!target.startsWith("memory://")) mkdirSync(target, { recursive: true });
  // PostgreSQL's default 128 MB of shared buffers is sized for a server, not an embedded store. Each
  // buffer PostgreSQL touches stays resident in PGlite's WebAssembly memory (which never shrinks), and
  // start-up alone touches all of them: 1 MB (128 pages) keeps 7 MB off the idle footprint against 8 MB,
  // with the same CPU per incident in a storm; a page not in them is one read of the file system's
  // cache (ADR 0025, ninth round).
  const dataDir = target.startsWith("memory://") ? undefined : target;
  const options = { postgresqlconf: ["shared_buffers=1MB", "wal_buffers=256kB", "temp_buffers=1MB", "work_mem=2MB"] };
  if (dataDir && !existsSync(join(dataDir, "PG_VERSION"))) {
    await initPgliteCluster(dataDir, options);
  }
  const client = await PgliteWorkerClient.create(dataDir, options);
  // Drizzle's PGlite driver only calls query/exec/transaction, which the worker client provides.
  const db = drizzlePglite({ client: client as unknown as PGlite });
  await migratePglite(db, { migrationsFolder: MIGRATIONS });
  return {
    db: db as unknown as Db,
    kind: "pglite",
    exclusive: true,
    collectGarbage: async () => {
      await client.collectGarbage();
    },
    copyFrom: (sql, data) => client.copyFrom(sql, data),
    close: () => client.close(),
  };
}

/** Where the embedded database lives inside the data dir. */
export function pgliteDirFor(dataDir: string): string {
  return join(dataDir, "pgdata");
}
