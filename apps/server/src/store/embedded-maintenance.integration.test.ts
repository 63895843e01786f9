import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { createLogger } from "../shared/logger.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { EmbeddedMaintenance } from "./embedded-maintenance.js";
import { rowsOf } from "./rows-of.js";

let t: TestDatabase | undefined;
afterEach(async () => t?.cleanup());

const logger = createLogger("silent");

async function projectsStats(t: TestDatabase) {
  const [r] = rowsOf(
    await t.database.db.execute(sql`select c.reltuples, s.n_dead_tup, s.last_analyze is not null as analyzed
      from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = 'projects'`),
  );
  return { reltuples: Number(r?.reltuples), dead: Number(r?.n_dead_tup), analyzed: r?.analyzed === true };
}

it("the embedded database is analyzed and vacuumed at autovacuum's thresholds, and left alone in between", async () => {
  t = await freshDatabase("pglite");
  const db = t.database.db;
  const maintenance = new EmbeddedMaintenance(t.database, logger, 60_000);
  await db.execute(
    sql`insert into projects (id, name) select 'p' || g, 'project ' || g from generate_series(1, 400) g`,
  );

  // First round: every table never analyzed gets statistics, the grown one with its real size.
  const first = await maintenance.round();
  expect(first.map((d) => d.table)).toContain("projects");
  expect(first.every((d) => d.work === "analyze")).toBe(true);
  expect(await projectsStats(t)).toMatchObject({ reltuples: 401, analyzed: true });

  // Nothing changed past a threshold: nothing to do.
  expect(await maintenance.round()).toEqual([]);

  // A few changes stay under the analyze threshold (50 + 10 % of 401 rows).
  await db.execute(sql`update projects set name = name || '.' where id in ('p1', 'p2', 'p3')`);
  expect(await maintenance.round()).toEqual([]);

  // Every row rewritten twice: 802 dead rows, past the vacuum threshold (50 + 20 %) — vacuumed and analyzed.
  await db.execute(sql`update projects set name = name || '!'`);
  await db.execute(sql`update projects set name = name || '!'`);
  const vacuumed = await maintenance.round();
  expect(vacuumed.map((d) => `${d.table} ${d.work}`)).toEqual(["projects vacuum"]);
  expect((await projectsStats(t)).dead).toBe(0);
});

it.skipIf(!testDatabaseKinds().includes("postgres"))("PostgreSQL is left to its own autovacuum", async () => {
  t = await freshDatabase("postgres");
  const maintenance = new EmbeddedMaintenance(t.database, logger, 60_000);
  maintenance.start();
  expect(await maintenance.round()).toEqual([]);
  await maintenance.stop();
});
