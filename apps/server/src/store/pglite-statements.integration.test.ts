import { PGlite, types } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_NAMED_TEXT, MAX_PREPARED, PgliteStatements } from "./pglite-statements.js";

describe("statements on the embedded database, with repeated ones kept prepared", () => {
  let pg: PGlite;
  let statements: PgliteStatements;
  const named = async () =>
    (await pg.query<{ n: number }>("select count(*)::int as n from pg_prepared_statements")).rows[0]?.n;

  beforeEach(async () => {
    pg = await PGlite.create();
    await pg.exec(`create table t (id int primary key, doc jsonb, tags text[], at timestamptz, ok boolean, note text)`);
    statements = new PgliteStatements(pg);
  });
  afterEach(async () => pg.close());

  it("answers as PGlite's own query does, the first time and once the statement is kept", async () => {
    const insert = "insert into t (id, doc, tags, at, ok, note) values ($1, $2, $3, $4, $5, $6)";
    const at = new Date("2026-01-02T03:04:05.000Z");
    await statements.query(insert, [1, { a: [1, 2] }, ["x", 'y"z'], at, true, null]);
    await statements.query(insert, [2, '{"b":1}', [], at.toISOString(), false, "n"]);
    await statements.query(insert, [3, null, null, null, null, undefined]);
    expect(await named()).toBe(1);

    const select = "select * from t where id = $1";
    for (const id of [1, 2, 3]) {
      const mine = await statements.query(select, [id]);
      const theirs = await pg.query(select, [id]);
      expect(mine.rows).toEqual(theirs.rows);
      expect(mine.fields).toEqual(theirs.fields);
    }
    const row = (await statements.query<Record<string, unknown>>(select, [1])).rows[0];
    expect(row).toMatchObject({ doc: { a: [1, 2] }, tags: ["x", 'y"z'], ok: true, note: null });
    expect(row?.at).toEqual(at);

    const update = await statements.query("update t set note = $1 where id > $2", ["u", 1]);
    expect(update.affectedRows).toBe(2);
    // Row mode and per-query parsers reach the result as with PGlite's query.
    const raw = await statements.query("select id, at from t where id = $1", [1], {
      rowMode: "array",
      parsers: { [types.TIMESTAMPTZ]: (v: string) => v },
    });
    expect(raw.rows).toEqual([[1, "2026-01-02 03:04:05+00"]]);
  });

  it("names a text on its second run only, never a long one, and closes the least recently used beyond its bound", async () => {
    await statements.query("select $1::int as n", [1]);
    expect(statements.size).toBe(0);
    await statements.query("select $1::int as n", [2]);
    expect(statements.size).toBe(1);

    const long = `select $1::int as n /* ${"x".repeat(MAX_NAMED_TEXT)} */`;
    for (let i = 0; i < 3; i++) expect((await statements.query(long, [i])).rows).toEqual([{ n: i }]);
    expect(statements.size).toBe(1);

    for (let i = 0; i < MAX_PREPARED + 5; i++) {
      const sql = `select $1::int + ${i} as n`;
      await statements.query(sql, [1]);
      expect((await statements.query(sql, [1])).rows).toEqual([{ n: 1 + i }]);
    }
    expect(statements.size).toBe(MAX_PREPARED);
    // Evicted statements are closed in the backend with the next call.
    await statements.query("select 1 as one", []);
    expect(await named()).toBe(MAX_PREPARED);
    // The first text was evicted: it runs again (and is named again on its next run).
    expect((await statements.query("select $1::int as n", [7])).rows).toEqual([{ n: 7 }]);
  });

  it("keeps errors as PostgreSQL's, and the session usable after them", async () => {
    const insert = "insert into t (id) values ($1)";
    await statements.query(insert, [1]);
    await statements.query(insert, [2]);
    const dup = await statements.query(insert, [1]).catch((e: unknown) => e as Record<string, unknown>);
    expect(dup).toMatchObject({ code: "23505", constraint: "t_pkey" });
    const syntax = await statements.query("selec 1", []).catch((e: unknown) => e as Record<string, unknown>);
    expect(syntax).toMatchObject({ code: "42601" });
    expect((await statements.query("select count(*)::int as n from t where id > $1", [0])).rows).toEqual([{ n: 2 }]);
  });

  it("runs inside a transaction the caller opened, and a failure there rolls back with it", async () => {
    const insert = "insert into t (id) values ($1)";
    await pg.exec("BEGIN");
    await statements.query(insert, [10]);
    await statements.query(insert, [11]);
    await expect(statements.query(insert, [10])).rejects.toMatchObject({ code: "23505" });
    await pg.exec("ROLLBACK");
    expect((await statements.query("select count(*)::int as n from t where id >= $1", [10])).rows).toEqual([{ n: 0 }]);
  });

  it("prepares a statement again when a schema change altered its result columns", async () => {
    const select = "select id, note, extra from t where id = $1";
    const star = "select * from t where id = $1";
    await statements.query("insert into t (id, note) values ($1, $2)", [1, "a"]);
    await pg.exec("alter table t add column extra int default 5");
    for (let i = 0; i < 2; i++) {
      await statements.query(select, [1]);
      await statements.query(star, [1]);
    }
    expect(statements.size).toBe(2);
    await pg.exec("alter table t alter column extra type text");
    // Outside a transaction the statement is prepared again and runs: the caller sees the new type.
    expect((await statements.query(select, [1])).rows).toEqual([{ id: 1, note: "a", extra: "5" }]);
    // Inside one, PostgreSQL's refusal fails the transaction, as it would with a named statement on a server.
    await pg.exec("alter table t drop column extra");
    await pg.exec("BEGIN");
    await expect(statements.query(star, [1])).rejects.toThrow("cached plan must not change result type");
    await pg.exec("ROLLBACK");
    expect((await statements.query(star, [1])).rows).toEqual([
      { id: 1, doc: null, tags: null, at: null, ok: null, note: "a" },
    ]);
  });
});
