import { PGlite, types } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_REMEMBERED, MAX_REMEMBERED_TEXT, PgliteStatements } from "./pglite-statements.js";

describe("statements on the embedded database, a repeated one in one call", () => {
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

  it("answers as PGlite's own query does, the first time and once its text is known", async () => {
    const insert = "insert into t (id, doc, tags, at, ok, note) values ($1, $2, $3, $4, $5, $6)";
    const at = new Date("2026-01-02T03:04:05.000Z");
    await statements.query(insert, [1, { a: [1, 2] }, ["x", 'y"z'], at, true, null]);
    await statements.query(insert, [2, '{"b":1}', [], at.toISOString(), false, "n"]);
    await statements.query(insert, [3, null, null, null, null, undefined]);

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

  it("remembers the parameter types of short texts only, a bounded number, and keeps no statement in the backend", async () => {
    await statements.query("select $1::int as n", [1]);
    expect(statements.size).toBe(1);
    const long = `select $1::int as n /* ${"x".repeat(MAX_REMEMBERED_TEXT)} */`;
    for (let i = 0; i < 3; i++) expect((await statements.query(long, [i])).rows).toEqual([{ n: i }]);
    expect(statements.size).toBe(1);
    for (let i = 0; i < MAX_REMEMBERED + 5; i++) {
      const sql = `select $1::int + ${i} as n`;
      await statements.query(sql, [1]);
      expect((await statements.query(sql, [1])).rows).toEqual([{ n: 1 + i }]);
    }
    expect(statements.size).toBe(MAX_REMEMBERED);
    // Unnamed: PostgreSQL plans each run from the tables as they are (a plan kept from an empty table
    // once made a job-queue statement 4,000× slower when the table had grown).
    expect(await named()).toBe(0);
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

  it("describes a text again after a schema change made its remembered types wrong", async () => {
    const insert = "insert into t (id, note) values ($1, $2)";
    await statements.query(insert, [1, "a"]);
    await pg.exec("alter table t alter column note type jsonb using to_jsonb(note)");
    // The remembered type (text) sends the object as its String; PostgreSQL refuses it once, and the
    // next run describes the text again and sends JSON.
    const doc = { a: 1 };
    await expect(statements.query(insert, [2, doc])).rejects.toMatchObject({ code: "22P02" });
    await statements.query(insert, [2, doc]);
    expect((await statements.query("select note from t where id = $1", [2])).rows).toEqual([{ note: doc }]);
  });
});
