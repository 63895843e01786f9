import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { newIncident } from "../testing/new-incident.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { DEFAULT_PROJECT_ID as P } from "./database.js";
import { EscalationStore } from "./escalation-store.js";
import { IncidentStore } from "./incident-store.js";

describe.each(testDatabaseKinds())("escalation rows on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("starts many in one statement, keeps an existing one, and claims the due ones oldest first under a lease", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    const store = new EscalationStore();
    const incidents = new IncidentStore();
    await incidents.createBatch(
      db,
      ["a", "b", "c", "d", "e"].map((id) => newIncident(id)),
    );
    const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
    const policy = { id: "p1", name: "Default", trigger: "always" as const, repeat: 0, levels: [] };
    await store.insertMany(db, [
      { projectId: P, incidentId: "a", policyId: "p1", policy, state: "active", nextAt: at(3) },
      { projectId: P, incidentId: "b", policyId: "p1", policy, state: "waiting", nextAt: at(1) },
      { projectId: P, incidentId: "c", policyId: "p1", policy, state: "active", nextAt: at(2) },
      { projectId: P, incidentId: "d", state: "no_policy" },
      // Not due until minute 30.
      { projectId: P, incidentId: "e", policyId: "p1", policy, state: "active", nextAt: at(30) },
    ]);
    // Started already: left as it is.
    await store.insertMany(db, [{ projectId: P, incidentId: "a", state: "no_policy" }]);
    const a = await store.get(db, P, "a");
    expect(a).toMatchObject({ state: "active", policy, level: 0, round: 0, pagesSent: 0, stopReason: null });
    expect(a?.nextAt).toEqual(at(3));

    const lease = at(10);
    const claimed = await store.claimDue(db, at(5), lease, 2);
    expect(claimed.map((r) => r.incidentId)).toEqual(["b", "c"]);
    expect(claimed.every((r) => r.nextAt?.getTime() === lease.getTime())).toBe(true);
    expect(claimed[0]).toMatchObject({ state: "waiting", policy, policyId: "p1" });
    // Leased rows are not due again before their lease; the one left is.
    expect((await store.claimDue(db, at(5), lease, 10)).map((r) => r.incidentId)).toEqual(["a"]);
    expect(await store.claimDue(db, at(5), lease, 10)).toEqual([]);
    // An incident acknowledged since is claimed before its due time, to stop its escalation now.
    await db.execute(sql`update incidents set lifecycle = 'acknowledged' where project_id = ${P} and id = 'e'`);
    expect((await store.claimDue(db, at(5), lease, 10)).map((r) => r.incidentId)).toEqual(["e"]);
  });
});
