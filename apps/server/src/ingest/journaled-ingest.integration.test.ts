import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../shared/logger.js";
import { DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { IncidentStore, type NewIncident } from "../store/incident-store.js";
import { JobQueue } from "../store/job-queue.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { IngestJournal } from "./ingest-journal.js";
import { JournaledIngest } from "./journaled-ingest.js";

const item = (id: string): NewIncident => ({
  projectId: P,
  id,
  alertType: "Memory Leak",
  logs: "heap out of memory",
  containerName: "svc",
  severity: "CRITICAL",
  alertTimestamp: null,
  context: null,
  dryRun: true,
});

describe.each(testDatabaseKinds())("journaled ingest on %s", (kind) => {
  let t: TestDatabase;
  let dir: string;
  afterEach(async () => {
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const make = (onLoaded: (i: NewIncident[]) => void = () => undefined) =>
    new JournaledIngest(
      t.database,
      new IncidentStore(),
      new IngestJournal(dir),
      createLogger("silent"),
      () => undefined,
      onLoaded,
    );

  it("accepts each id once, loads into the database with a queued job, and empties the journal", async () => {
    t = await freshDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), "aegis-journal-"));
    const loaded: string[] = [];
    const ingest = make((items) => loaded.push(...items.map((i) => i.id)));
    await ingest.recover();
    const answers = await Promise.all(["a", "b", "a", "c"].map((id) => ingest.submit(item(id))));
    expect(answers).toEqual([true, true, false, true]);
    // The same id in a second batch while the first is still being journaled: still only one.
    const first = ingest.submit(item("e"));
    await new Promise((r) => setImmediate(r));
    const second = ingest.submit(item("e")).then(async (created) => {
      // Answered "exists" only once the incident can be read back.
      const readable =
        ingest.journaled(P, "e") !== undefined ||
        (await new IncidentStore().getRow(t.database.db, P, "e")) !== undefined;
      return [created, readable];
    });
    expect([await first, await second]).toEqual([true, [false, true]]);
    await ingest.drain();
    expect(loaded.sort()).toEqual(["a", "b", "c", "e"]);
    const store = new IncidentStore();
    expect(await store.count(t.database.db, P)).toBe(4);
    expect(await new JobQueue(t.database.db).pending()).toBe(4);
    expect(readdirSync(dir)).toEqual([]);
    // Known ids are answered "exists" after a restart too (seen-ids filter + database).
    const again = make();
    await again.recover();
    expect(await again.submit(item("b"))).toBe(false);
    expect(await again.submit(item("d"))).toBe(true);
    await again.drain();
  });

  it("replays what a crashed run journaled but never loaded, exactly once", async () => {
    t = await freshDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), "aegis-journal-"));
    // A run that journaled (acknowledged) and died before loading:
    const journal = new IngestJournal(dir);
    await journal.append([item("x1"), item("x2")]);
    await journal.close();
    const ingest = make();
    expect(await ingest.recover()).toBe(2);
    expect(await new IncidentStore().count(t.database.db, P)).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
    expect(await ingest.submit(item("x1"))).toBe(false);
    await ingest.drain();
  });

  it("database durability: answered only once committed; two processes on one database take each id once", async () => {
    t = await freshDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), "aegis-journal-"));
    const direct = () =>
      new JournaledIngest(
        t.database,
        new IncidentStore(),
        new IngestJournal(dir),
        createLogger("silent"),
        () => undefined,
        () => undefined,
        { durableIn: "database" },
      );
    const [a, b] = [direct(), direct()];
    await a.recover();
    await b.recover();
    const ids = Array.from({ length: 40 }, (_, i) => `d-${i}`);
    // Every id sent to both "processes" at once.
    const answers = await Promise.all(ids.flatMap((id) => [a.submit(item(id)), b.submit(item(id))]));
    for (let i = 0; i < ids.length; i++) {
      expect([answers[2 * i], answers[2 * i + 1]].filter(Boolean), ids[i]).toHaveLength(1);
    }
    // Readable from the database at once, without waiting for any background load; nothing journaled.
    const store = new IncidentStore();
    for (const id of ids) expect(await store.getRow(t.database.db, P, id), id).toBeDefined();
    expect(a.backlogSize + b.backlogSize).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith(".jsonl"))).toEqual([]);
  });
});
