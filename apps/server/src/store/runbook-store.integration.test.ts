import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { DEFAULT_PROJECT_ID as P } from "./database.js";
import { EmbeddingStore } from "./embedding-store.js";
import { RunbookStore } from "./runbook-store.js";

const rb = (id: string, service = "kubernetes") => ({
  id,
  title: `Runbook ${id}`,
  service,
  body: `# ${id}\n\nbody`,
  url: null,
  tags: ["a", "b"],
});

describe.each(testDatabaseKinds())("runbook and embedding stores on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("inserts once, upserts keeping created_at, lists by page and service, deletes", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    const s = new RunbookStore();
    const t0 = new Date("2026-01-01T00:00:00Z");
    expect(await s.insert(db, P, rb("k/b"), t0)).toMatchObject({ id: "k/b", tags: ["a", "b"], createdAt: t0 });
    expect(await s.insert(db, P, rb("k/b"))).toBeNull();

    const t1 = new Date("2026-02-01T00:00:00Z");
    const replaced = await s.upsert(db, P, { ...rb("k/b"), title: "New title", url: "https://x.example/k" }, t1);
    expect(replaced.created).toBe(false);
    expect(replaced.row).toMatchObject({
      title: "New title",
      url: "https://x.example/k",
      createdAt: t0,
      updatedAt: t1,
    });
    const fresh = await s.upsert(db, P, rb("a/c", "node"), t1);
    expect(fresh.created).toBe(true);
    await s.insert(db, P, rb("z/z"));

    const page = await s.list(db, P, { offset: 0, limit: 2 });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.id)).toEqual(["a/c", "k/b"]);
    expect((await s.list(db, P, { offset: 2, limit: 2 })).rows.map((r) => r.id)).toEqual(["z/z"]);
    expect((await s.list(db, P, { offset: 0, limit: 10, service: "node" })).total).toBe(1);
    expect((await s.all(db, P)).length).toBe(3);

    expect(await s.delete(db, P, "k/b")).toBe(true);
    expect(await s.delete(db, P, "k/b")).toBe(false);
    expect(await s.get(db, P, "k/b")).toBeUndefined();
  });

  it("stores vectors as real[] per model and forgets them per document", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    const e = new EmbeddingStore();
    await e.upsertMany(db, P, "runbook", "m1", [
      { docId: "a", contentHash: "h1", vector: [0.25, -0.5, 1] },
      { docId: "b", contentHash: "h2", vector: [1, 0, 0] },
    ]);
    await e.upsertMany(db, P, "runbook", "m2", [{ docId: "a", contentHash: "h1", vector: [0, 1] }]);
    await e.upsertMany(db, P, "runbook", "m1", [{ docId: "a", contentHash: "h3", vector: [0.5, 0.5, 0.5] }]);
    const m1 = (await e.all(db, P, "runbook", "m1")).sort((x, y) => x.docId.localeCompare(y.docId));
    expect(m1).toEqual([
      { docId: "a", contentHash: "h3", vector: [0.5, 0.5, 0.5] },
      { docId: "b", contentHash: "h2", vector: [1, 0, 0] },
    ]);
    expect(await e.all(db, P, "incident", "m1")).toEqual([]);
    await e.delete(db, P, "runbook", ["a"]);
    expect((await e.all(db, P, "runbook", "m1")).map((x) => x.docId)).toEqual(["b"]);
    expect(await e.all(db, P, "runbook", "m2")).toEqual([]);
  });
});
