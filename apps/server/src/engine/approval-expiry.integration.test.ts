import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { InProcessEventBus } from "../events/event-bus.js";
import { createLogger } from "../shared/logger.js";
import { DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { IncidentStore, type NewIncident } from "../store/incident-store.js";
import { JobQueue } from "../store/job-queue.js";
import { jobs } from "../store/schema.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { ApprovalExpiry } from "./approval-expiry.js";
import { IncidentRecorder } from "./recorder.js";

const incident = (id: string): NewIncident => ({
  projectId: P,
  id,
  alertType: "Memory Leak",
  logs: "ERROR heap at 98%",
  containerName: "buggy-app-v2",
  severity: "CRITICAL",
  alertTimestamp: null,
  context: null,
  dryRun: false,
});

/** Approval expiry reads its clock from the database: a fresh instance (a restarted server) expires what is overdue. */
describe.each(testDatabaseKinds())("approval expiry on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("fails overdue approvals once, with the reason; leaves decided and recent ones alone", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    const store = new IncidentStore();
    const queue = new JobQueue(db);
    const bus = new InProcessEventBus();
    const frames: string[] = [];
    bus.subscribe((f) => frames.push(`${f.type}:${f.incident_id}`));
    const recorder = new IncidentRecorder(t.database, store, bus);
    await store.createBatch(db, ["old", "recent", "decided"].map(incident));
    // All three parked for a human, as the pipeline leaves them; "decided" was approved since.
    for (const id of ["old", "recent", "decided"]) await recorder.transition(P, id, "AWAITING_APPROVAL", "Awaiting");
    await db.execute(sql`update ${jobs} set state = 'waiting'`);
    await store.update(db, P, "decided", { status: "APPROVED" });
    const hourAgo = new Date(Date.now() - 3_600_000);
    await db.update(jobs).set({ updatedAt: hourAgo }).where(sql`${jobs.incidentId} in ('old', 'decided')`);

    const expiry = new ApprovalExpiry(queue, store, recorder, createLogger("silent"), 30 * 60_000);
    expect(await expiry.sweep()).toBe(1);
    const old = await store.get(db, P, "old");
    expect(old?.status).toBe("FAILED");
    expect(old?.error).toContain("Approval expired");
    expect(old?.timeline.at(-1)).toMatchObject({ status: "FAILED" });
    expect(frames).toContain("failed:old");
    const [job] = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.projectId, P), eq(jobs.incidentId, "old")));
    expect(job?.state).toBe("done");
    expect((await store.get(db, P, "recent"))?.status).toBe("AWAITING_APPROVAL");
    expect((await store.get(db, P, "decided"))?.status).toBe("APPROVED");

    // Another instance (a restart, or a second server) finds nothing left to expire.
    expect(await new ApprovalExpiry(queue, store, recorder, createLogger("silent"), 30 * 60_000).sweep()).toBe(0);
  });
});
