import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { ActionLog } from "./action-log.js";
import { DEFAULT_PROJECT_ID as P } from "./database.js";
import { IncidentStore, type NewIncident } from "./incident-store.js";
import { JobQueue } from "./job-queue.js";
import { KnowledgeStore } from "./knowledge-store.js";

const incident = (id: string): NewIncident => ({
  projectId: P,
  id,
  alertType: "Memory Leak",
  logs: "ERROR heap at 98%",
  containerName: "buggy-app-v2",
  severity: "CRITICAL",
  alertTimestamp: null,
  context: { service: "x", replicas: 2 },
  dryRun: false,
});

describe.each(testDatabaseKinds())("store on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("creates incidents with a RECEIVED entry and a queued job, once per id", async () => {
    t = await freshDatabase(kind);
    const store = new IncidentStore();
    const db = t.database.db;
    const first = await db.transaction((tx) => store.createBatch(tx, [incident("a"), incident("b")]));
    expect(first.size).toBe(2);
    const again = await db.transaction((tx) => store.createBatch(tx, [incident("a"), incident("c")]));
    expect([...again].map((k) => k.split("\u0000")[1])).toEqual(["c"]);
    const a = await store.get(db, P, "a");
    expect(a?.status).toBe("RECEIVED");
    expect(a?.timeline.map((e) => e.status)).toEqual(["RECEIVED"]);
    expect(await store.count(db, P)).toBe(3);
    expect(await new JobQueue(db).pending()).toBe(3);
  });

  it("persists timelines, patches and votes in order", async () => {
    t = await freshDatabase(kind);
    const store = new IncidentStore();
    const db = t.database.db;
    await db.transaction((tx) => store.createBatch(tx, [incident("x")]));
    await store.appendMany(db, P, "x", [{ status: "ANALYSING", message: "thinking", agent: "SRE_AGENT" }]);
    await store.update(db, P, "x", {
      status: "ANALYSING",
      analysis: { root_cause: "leak", action: "RESTART", justification: "j", confidence: 0.9, replica_count: 2 },
    });
    await store.recordVotes(db, P, "x", [
      {
        role: "AUDITOR",
        verdict: "APPROVED",
        reasoning: "ok",
        timestamp: new Date().toISOString(),
      },
    ]);
    const got = await store.get(db, P, "x");
    expect(got?.timeline.map((e) => e.status)).toEqual(["RECEIVED", "ANALYSING"]);
    expect(got?.analysis?.action).toBe("RESTART");
    expect((await store.votes(db, P, "x"))[0]?.role).toBe("AUDITOR");
    expect(await store.get(db, P, "missing")).toBeUndefined();
  });

  it("claims each job once, leases expire, orphans are reclaimed", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    await db.transaction((tx) => new IncidentStore().createBatch(tx, ["1", "2", "3"].map(incident)));
    const q = new JobQueue(db);
    const [a, b] = await Promise.all([q.claim("w1", 2, 60_000), q.claim("w2", 2, 60_000)]);
    const ids = [...(a ?? []), ...(b ?? [])].map((j) => j.incidentId).sort();
    expect(ids).toEqual(["1", "2", "3"]);
    expect(await q.claim("w3", 5, 60_000)).toEqual([]);
    // An expired lease makes the job claimable by another worker, with its attempt counted.
    const short = await freshLeaseJob(q, db);
    expect(short.attempts).toBe(2);
    expect(await q.reclaimOrphans()).toBeGreaterThan(0);
    expect((await q.claim("w5", 10, 60_000)).length).toBe(4);
  });

  it("parks and resumes a job for a human decision", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    await db.transaction((tx) => new IncidentStore().createBatch(tx, [incident("h")]));
    const q = new JobQueue(db);
    const [job] = await q.claim("w", 1, 60_000);
    await q.park(db, job?.id as number);
    expect(await q.claim("w", 1, 60_000)).toEqual([]);
    expect(await q.resume(db, P, "h")).toBe(true);
    expect(await q.resume(db, P, "h")).toBe(false);
    expect((await q.claim("w", 1, 60_000))[0]?.incidentId).toBe("h");
  });

  it("keeps action idempotency keys unique and counts restarts per target", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    const log = new ActionLog();
    const a = await log.start(db, {
      projectId: P,
      incidentId: "i",
      key: "i:RESTART",
      kind: "RESTART",
      target: "svc",
      params: {},
    });
    await expect(
      log.start(db, { projectId: P, incidentId: "i", key: "i:RESTART", kind: "RESTART", target: "svc", params: {} }),
    ).rejects.toThrow();
    await log.finish(db, a.id, { state: "succeeded", result: { ok: true } });
    expect((await log.find(db, P, "i:RESTART"))?.state).toBe("succeeded");
    expect(await log.restartsSince(db, P, "svc", new Date(Date.now() - 3_600_000))).toBe(1);
    expect(await log.restartsSince(db, P, "other", new Date(0))).toBe(0);
  });

  it("stores knowledge entries with their outcome", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    const ks = new KnowledgeStore();
    const entry = {
      incident_id: "k1",
      alert_type: "CPU Spike",
      logs: "cpu 99%",
      container_name: "svc",
      severity: "CRITICAL",
      root_cause: "runaway loop",
      action: "RESTART" as const,
      justification: "restart stops it",
      confidence: 0.8,
      council_approved: true,
      replicas_used: 0,
      resolved_at: new Date().toISOString(),
      outcome: "RESOLVED" as const,
    };
    await ks.upsert(db, P, entry);
    await ks.upsert(db, P, { ...entry, outcome: "FAILED" });
    const list = await ks.list(db, P);
    expect(list).toHaveLength(1);
    expect(list[0]?.outcome).toBe("FAILED");
  });
});

/** Claim with a lease that has already expired, then claim again from another worker. */
async function freshLeaseJob(q: JobQueue, db: TestDatabase["database"]["db"]) {
  await db.transaction((tx) => new IncidentStore().createBatch(tx, [incident("lease")]));
  const [first] = await q.claim("w-dead", 1, -1000);
  expect(first?.incidentId).toBe("lease");
  expect(await q.claim("w-alive", 1, 60_000)).toEqual([]);
  expect(await q.reapExpired()).toBe(1);
  const [second] = await q.claim("w-alive", 1, 60_000);
  expect(second?.incidentId).toBe("lease");
  return second as { attempts: number };
}
