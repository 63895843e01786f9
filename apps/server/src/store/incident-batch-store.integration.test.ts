import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { DEFAULT_PROJECT_ID as P } from "./database.js";
import { IncidentBatchStore, rowKey } from "./incident-batch-store.js";
import { IncidentStore, type NewIncident } from "./incident-store.js";
import { JobQueue } from "./job-queue.js";
import { runAtomically } from "./run-atomically.js";

const incident = (id: string): NewIncident => ({
  projectId: P,
  id,
  alertType: "Memory Leak",
  logs: "ERROR heap at 98%",
  containerName: `svc-${id}`,
  severity: "CRITICAL",
  alertTimestamp: null,
  context: null,
  dryRun: true,
});

const analysis = {
  root_cause: "leak",
  action: "RESTART" as const,
  justification: "heap grows",
  confidence: 0.9,
  replica_count: 0,
};

describe.each(testDatabaseKinds())("batched incident writes on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("writes many incidents' entries, patches and votes in one transaction; a field a patch leaves out keeps its value", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    const store = new IncidentStore();
    const batch = new IncidentBatchStore();
    await store.createBatch(db, [incident("a"), incident("b"), incident("c")]);
    await store.update(db, P, "c", { error: "earlier", provider: "builtin" });

    const ts = new Date().toISOString();
    await runAtomically(db, [
      ...batch.appendAllStatements([
        { projectId: P, incidentId: "a", entries: [{ status: "ANALYSING", message: "a1" }] },
        { projectId: P, incidentId: "b", entries: [] },
        {
          projectId: P,
          incidentId: "c",
          entries: [
            { status: "AI_COMPLETE", message: "c1" },
            { status: "COUNCIL_REVIEW", message: "c2" },
          ],
        },
      ]),
      ...batch.updateAllStatements(db, [
        { projectId: P, incidentId: "a", patch: { status: "ANALYSING" } },
        {
          projectId: P,
          incidentId: "c",
          patch: { status: "COUNCIL_REVIEW", analysis, category: "memory", evidence: ["x"], error: null },
        },
        // A field outside the one-statement set is written row by row, still in this transaction.
        { projectId: P, incidentId: "b", patch: { status: "FAILED", replicasSpawned: 2 } },
      ]),
      ...batch.recordAllVotesStatements([
        {
          projectId: P,
          incidentId: "c",
          votes: [{ role: "SRE_AGENT", verdict: "APPROVED", reasoning: "ok", timestamp: ts }],
        },
      ]),
    ]);

    const rows = await batch.getRows(db, [
      { projectId: P, incidentId: "a" },
      { projectId: P, incidentId: "c" },
      { projectId: P, incidentId: "missing" },
    ]);
    expect(rows.size).toBe(2);
    const a = rows.get(rowKey(P, "a"));
    const c = rows.get(rowKey(P, "c"));
    expect(a?.status).toBe("ANALYSING");
    expect(a?.analysis).toBeNull();
    expect(c?.status).toBe("COUNCIL_REVIEW");
    expect(c?.analysis).toEqual(analysis);
    expect(c?.category).toBe("memory");
    expect(c?.evidence).toEqual(["x"]);
    expect(c?.error).toBeNull(); // set to null on purpose
    expect(c?.provider).toBe("builtin"); // left out: kept
    expect((await store.getRow(db, P, "b"))?.replicasSpawned).toBe(2);
    expect((await store.get(db, P, "c"))?.timeline.map((e) => e.message)).toEqual([
      "Incident received via webhook.",
      "c1",
      "c2",
    ]);
    expect(await store.votes(db, P, "c")).toHaveLength(1);
  });

  it("settles and releases many jobs at once", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    await new IncidentStore().createBatch(db, [incident("a"), incident("b"), incident("c")]);
    const q = new JobQueue(db);
    const [a, b, c] = await q.claim("w", 3, 60_000);
    await runAtomically(db, q.settleManyStatements(db, [a?.id as number], [b?.id as number]));
    await q.releaseMany([c?.id as number]);
    expect(await q.pending()).toBe(1);
    const again = await q.claim("w", 3, 60_000);
    expect(again.map((j) => j.incidentId)).toEqual([c?.incidentId]);
    expect(again[0]?.attempts).toBe(2);
  });
});
