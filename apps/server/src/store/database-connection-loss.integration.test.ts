import { sql } from "drizzle-orm";
import pg from "pg";
import { afterEach, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { rowsOf } from "./rows-of.js";

let t: TestDatabase | undefined;
afterEach(async () => t?.cleanup());

it.skipIf(!testDatabaseKinds().includes("postgres"))(
  "PostgreSQL ending the pool's idle connections (restart, failover, terminate) neither crashes the process nor the next query",
  async () => {
    t = await freshDatabase("postgres");
    const db = t.database.db;
    // Open a few pooled connections, then let them go idle.
    await Promise.all(Array.from({ length: 4 }, () => db.execute(sql`select pg_sleep(0.05)`)));
    const name = new URL(t.url as string).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const killed = await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
      [name],
    );
    await admin.end();
    expect(killed.rowCount).toBeGreaterThan(0);
    // The terminated clients' errors arrive as events; an unheard one would be an uncaught exception here.
    await new Promise((r) => setTimeout(r, 300));
    const r = await db.execute(sql`select 41 + 1 as answer`);
    expect(Number(rowsOf(r)[0]?.answer)).toBe(42);
  },
);
