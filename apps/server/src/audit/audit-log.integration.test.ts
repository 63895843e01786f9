import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../ports/audit-trail.js";
import { createLogger } from "../shared/logger.js";
import { AuditStore } from "../store/audit-store.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { chainHash } from "./audit-chain.js";
import { AUDIT_CSV_COLUMNS, AuditLog, draftOf } from "./audit-log.js";

const entry = (n: number, projectId = "default"): AuditEntry => ({
  projectId,
  actor: { kind: "user", id: `u${n % 3}`, name: `User ${n % 3}`, role: "admin" },
  action: n % 2 === 0 ? "http.create" : "remediation.executed",
  resourceType: "incident",
  resourceId: `inc-${n}`,
  outcome: "success",
  statusCode: 200,
  before: n % 2 === 0 ? null : { replicas: n },
  after: { n, note: `entry "${n}", with, commas\nand a newline`, nested: { b: 2, a: [1, 2.5, "x"] } },
  ip: "10.0.0.7",
  userAgent: "vitest",
  requestId: `req-${n}`,
});

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

describe.each(testDatabaseKinds())("audit log on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());
  const open = async () => {
    t = await freshDatabase(kind);
    return new AuditLog(t.database, createLogger("silent"));
  };

  it("chains entries per project and verifies them", async () => {
    const audit = await open();
    for (let n = 1; n <= 5; n++) await audit.record(entry(n));
    await audit.record(entry(1, "other"));
    const v = await audit.verify("default");
    expect(v).toMatchObject({ valid: true, rows_checked: 5, head_seq: 5, first_broken: null });
    expect((await audit.verify("other")).rows_checked).toBe(1);
    const { items, total } = await audit.page("default", {}, 1, 2);
    expect(total).toBe(5);
    expect(items.map((i) => i.seq)).toEqual([5, 4]);
    expect(items[1]?.prev_hash).toBe((await audit.page("default", {}, 2, 2)).items[0]?.hash);
    expect(items[0]?.after).toEqual(entry(5).after);
  });

  it("refuses changes in the database, and finds a row changed behind the trigger's back at that row", async () => {
    const audit = await open();
    for (let n = 1; n <= 6; n++) await audit.record(entry(n, "edited"));
    for (let n = 1; n <= 4; n++) await audit.record(entry(n, "rehashed"));
    const db = t.database.db;
    const refusal = (q: ReturnType<typeof sql>) =>
      db.execute(q).then(
        () => "accepted",
        (err: Error & { cause?: Error }) => String(err.cause?.message ?? err.message),
      );
    expect(await refusal(sql`update audit_log set action = 'x'`)).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(sql`delete from audit_log`)).toMatch(/append-only: DELETE refused/);
    expect(await refusal(sql`truncate audit_log`)).toMatch(/append-only: TRUNCATE refused/);
    expect((await audit.verify("edited")).valid).toBe(true);

    await db.execute(sql`alter table audit_log disable trigger audit_log_no_change`);
    await db.execute(sql`update audit_log set after = '{"n": 999}'::jsonb where project_id = 'edited' and seq = 4`);
    const v = await audit.verify("edited");
    expect(v.valid).toBe(false);
    expect(v.rows_checked).toBe(3);
    expect(v.first_broken).toMatchObject({ seq: 4, reason: "hash_mismatch" });

    // A careful tamperer rewrites row 2 and its hash; row 3 still links to the old hash.
    await db.execute(
      sql`update audit_log set actor_name = 'someone else', hash = repeat('a', 64) where project_id = 'rehashed' and seq = 2`,
    );
    expect((await audit.verify("rehashed")).first_broken).toMatchObject({ seq: 2, reason: "hash_mismatch" });
    await db.execute(sql`delete from audit_log where project_id = 'rehashed' and seq >= 2`);
    expect((await audit.verify("rehashed")).first_broken).toMatchObject({ seq: 2, reason: "missing_tail" });
  });

  it("keeps one linear chain under concurrent writers", async () => {
    const audit = await open();
    // A second writer with its own handle: on PostgreSQL another pool connection takes the head lock in turn.
    const other = new AuditLog(t.database, createLogger("silent"));
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? audit : other).record(entry(i + 1))));
    const v = await audit.verify("default");
    expect(v).toMatchObject({ valid: true, rows_checked: 40, head_seq: 40 });
    const seqs = (await audit.page("default", {}, 1, 100)).items.map((i) => i.seq);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => 40 - i));

    // Fire-and-forget entries are group-committed, in the order they were given.
    for (let n = 1; n <= 700; n++) audit.recordLater({ ...entry(n), resourceId: `later-${n}` });
    await audit.flush();
    const after = await audit.verify("default");
    expect(after).toMatchObject({ valid: true, rows_checked: 740 });
    const later = (await audit.page("default", {}, 1, 700)).items.map((i) => i.resource_id).reverse();
    expect(later).toEqual(Array.from({ length: 700 }, (_, i) => `later-${i + 1}`));
  });

  it("follows its own head without a lock, and falls back to the lock when another writer moved it", async () => {
    const audit = await open();
    const other = new AuditLog(t.database, createLogger("silent"));
    // Interleaved in turn: each writer's remembered head is stale every other time (another process appended).
    for (let n = 1; n <= 12; n++) await (n % 3 === 0 ? other : audit).record(entry(n));
    await audit.recordMany("default", [entry(13), entry(14)]);
    await other.recordMany("default", [entry(15), entry(16), entry(17)]);
    const v = await audit.verify("default");
    expect(v).toMatchObject({ valid: true, rows_checked: 17, head_seq: 17, first_broken: null });
    const ids = (await audit.page("default", {}, 1, 100)).items.map((i) => i.resource_id).reverse();
    expect(ids).toEqual(Array.from({ length: 17 }, (_, i) => `inc-${i + 1}`));

    // A stale head writes nothing at all: neither rows nor a moved head.
    const store = new AuditStore();
    const stale = await store.appendAfter(t.database.db, "default", { seq: 16, hash: "f".repeat(64) }, [], () => "x");
    expect(stale).toEqual([]);
    const refused = await store.appendAfter(
      t.database.db,
      "default",
      { seq: 3, hash: v.head_hash },
      [draftOf(entry(99))],
      () => "e".repeat(64),
    );
    expect(refused).toBeNull();
    expect(await audit.verify("default")).toMatchObject({ valid: true, rows_checked: 17, head_seq: 17 });
    // The current head: the rows follow it, sealed as the chain requires.
    const followed = await store.appendAfter(
      t.database.db,
      "default",
      { seq: 17, hash: v.head_hash },
      [draftOf(entry(18))],
      (d, seq, prev) => chainHash(prev, d, seq),
    );
    expect(followed?.map((r) => r.seq)).toEqual([18]);
    expect(await audit.verify("default")).toMatchObject({ valid: true, rows_checked: 18, head_seq: 18 });
  });

  it("filters by action, user, resource and time", async () => {
    const audit = await open();
    for (let n = 1; n <= 6; n++) await audit.record({ ...entry(n), at: new Date(Date.UTC(2026, 0, n)) });
    const db = (f: Parameters<AuditLog["page"]>[1]) =>
      audit.page("default", f, 1, 50).then((p) => p.items.map((i) => i.seq));
    expect(await db({ action: "http.create" })).toEqual([6, 4, 2]);
    expect(await db({ action: "remediation.*" })).toEqual([5, 3, 1]);
    expect(await db({ user: "u1" })).toEqual([4, 1]);
    expect(await db({ user: "user 2" })).toEqual([5, 2]);
    expect(await db({ resource: "incident:inc-3" })).toEqual([3]);
    expect(await db({ from: new Date(Date.UTC(2026, 0, 2)), to: new Date(Date.UTC(2026, 0, 3)) })).toEqual([3, 2]);
  });

  it("exports CSV and NDJSON in batches, oldest first, across batch boundaries", async () => {
    const audit = await open();
    await audit.recordMany(
      "default",
      Array.from({ length: 1500 }, (_, i) => entry(i + 1)),
    );
    const csv = await text(audit.export("default", {}, "csv"));
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(","));
    // JSON columns escape their newlines: one line per row.
    expect(lines.length).toBe(1 + 1500);
    expect(lines[1]).toContain('"{""n"":1,""note"":""entry \\""1\\"", with, commas\\nand a newline""');
    expect(lines[1]?.startsWith("1,")).toBe(true);
    const ndjson = (await text(audit.export("default", { action: "http.create" }, "json"))).trimEnd().split("\n");
    expect(ndjson).toHaveLength(750);
    expect(JSON.parse(ndjson[0] as string)).toMatchObject({ seq: 2, action: "http.create" });
    expect(JSON.parse(ndjson[749] as string).seq).toBe(1500);
    expect((await audit.verify("default")).rows_checked).toBe(1500);
  });
});
