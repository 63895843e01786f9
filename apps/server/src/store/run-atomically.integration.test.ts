import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { startRoundTripCounter } from "../testing/round-trip-counter.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { openDatabase } from "./database.js";
import { runAtomically } from "./run-atomically.js";

const messages = async (t: TestDatabase) =>
  (await t.database.db.execute(sql`select message from probe order by n`)).rows.map((r) => r.message);

describe.each(testDatabaseKinds())("statements run as one transaction on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  async function probe(): Promise<void> {
    t = await freshDatabase(kind);
    await t.database.db.execute(sql`create table probe (n serial primary key, message text not null unique)`);
  }

  it("runs the statements in order, each seeing the ones before it", async () => {
    await probe();
    await runAtomically(t.database.db, [
      sql`insert into probe (message) values (${"first"})`,
      sql`insert into probe (message) select 'after ' || count(*) from probe`,
      sql`update probe set message = message || ' (kept)' where message = ${"first"}`,
    ]);
    expect(await messages(t)).toEqual(["first (kept)", "after 1"]);
  });

  it("writes nothing when one statement fails, and rejects with its error", async () => {
    await probe();
    await expect(
      runAtomically(t.database.db, [
        sql`insert into probe (message) values (${"one"})`,
        sql`insert into probe (message) values (${"one"})`,
      ]),
    ).rejects.toThrow();
    expect(await messages(t)).toEqual([]);
    // The session is usable afterwards (no transaction left open).
    await runAtomically(t.database.db, [sql`insert into probe (message) values (${"two"})`]);
    expect(await messages(t)).toEqual(["two"]);
  });

  // One session (the embedded database): a transaction sent at once must not land inside another.
  it.runIf(kind === "pglite")("waits for a transaction in progress instead of running inside it", async () => {
    await probe();
    const db = t.database.db;
    let atomic: Promise<void> | undefined;
    const seenInside = await db.transaction(async (tx) => {
      await tx.execute(sql`insert into probe (message) values (${"tx"})`);
      atomic = runAtomically(db, [sql`insert into probe (message) values (${"atomic"})`]);
      await new Promise((r) => setTimeout(r, 50));
      return (await tx.execute(sql`select count(*)::int as n from probe`)).rows[0]?.n;
    });
    await atomic;
    expect(seenInside).toBe(1);
    expect(await messages(t)).toEqual(["tx", "atomic"]);
  });

  it.runIf(kind === "postgres")(
    "on PostgreSQL the statements go out together: three round trips (BEGIN, them, COMMIT) whatever their number",
    async () => {
      await probe();
      const url = new URL(t.url as string);
      const counter = await startRoundTripCounter({ host: url.hostname, port: Number(url.port || 5432) });
      url.hostname = "127.0.0.1";
      url.port = String(counter.port);
      const proxied = await openDatabase({ url: url.toString(), poolSize: 1 });
      try {
        await proxied.db.execute(sql`select 1`);
        for (const n of [2, 12]) {
          counter.reset();
          await runAtomically(
            proxied.db,
            Array.from({ length: n }, (_, i) => sql`insert into probe (message) values (${`${n}-${i}`})`),
          );
          expect(counter.flights()).toBe(3);
        }
        // A failure in the middle still writes nothing, and the connection is clean afterwards.
        counter.reset();
        await expect(
          runAtomically(proxied.db, [
            sql`insert into probe (message) values (${"x"})`,
            sql`insert into probe (message) values (${"2-0"})`,
            sql`insert into probe (message) values (${"y"})`,
          ]),
        ).rejects.toThrow();
        expect((await proxied.db.execute(sql`select count(*)::int as n from probe`)).rows[0]?.n).toBe(14);
      } finally {
        await proxied.close();
        await counter.close();
      }
    },
  );
});
