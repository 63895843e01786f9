import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { rowsOf } from "./rows-of.js";
import { textArray, textColumn } from "./text-array.js";

describe.each(testDatabaseKinds())("text[] parameters on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("round-trips every value through unnest, in order: quotes, backslashes, braces, commas, NULL as text, null", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    const tricky = [
      'a"b',
      "c\\d",
      '\\"',
      "{x,y}",
      "a,b",
      "NULL",
      "",
      "  spaced  ",
      "line\nbreak",
      "ünïcødé ✓",
      "'quoted'",
    ];
    const values = [...tricky, null, undefined, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), { k: 'v"1' }, 42];
    const rows = rowsOf(
      await db.execute(
        sql`select v, ord from unnest(${textArray(values)}::text[]) with ordinality as t(v, ord) order by ord`,
      ),
    );
    expect(rows.map((r) => (r.v === null ? null : String(r.v)))).toEqual([
      ...tricky,
      null,
      null,
      "2026-01-02T03:04:05.000Z",
      '{"k":"v\\"1"}',
      "42",
    ]);
    const empty = rowsOf(await db.execute(sql`select count(*) as n from unnest(${textArray([])}::text[])`));
    expect(Number(empty[0]?.n)).toBe(0);
    const column = rowsOf(
      await db.execute(
        sql`select v from unnest(${textColumn([{ n: 'x"' }, { n: null }], (r) => r.n)}::text[]) as t(v)`,
      ),
    );
    expect(column.map((r) => r.v)).toEqual(['x"', null]);
  });
});
