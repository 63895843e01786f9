import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { newIncident } from "../testing/new-incident.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { DEFAULT_PROJECT_ID as P } from "./database.js";
import { IncidentStore } from "./incident-store.js";
import { InsightsStore } from "./insights-store.js";

const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));

describe.each(testDatabaseKinds())("recurring patterns on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("merges services and actions across a signature's services, distinct and sorted, with the mean time to resolve", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    // Five "High CPU" incidents on three services, and one "Disk Full" (seen once, below the minimum).
    const rows = [
      { id: "a", service: "web", action: "RESTART", resolvedMin: 10 },
      { id: "b", service: "api", action: "SCALE_UP", resolvedMin: null },
      { id: "c", service: "web", action: "SCALE_UP", resolvedMin: 30 },
      { id: "d", service: "db", action: null, resolvedMin: null },
      { id: "e", service: "api", action: "RESTART", resolvedMin: null },
    ];
    await new IncidentStore().createBatch(
      db,
      [
        ...rows.map((r) => newIncident(r.id, { containerName: r.service })),
        newIncident("f", { alertType: "Disk Full", containerName: "web" }),
      ],
      at(0),
    );
    for (const r of rows) {
      await db.execute(sql`update incidents set category = 'cpu_runaway',
          analysis = ${r.action ? JSON.stringify({ action: r.action }) : null}::jsonb,
          status = ${r.resolvedMin === null ? "FAILED" : "RESOLVED"},
          resolved_at = ${r.resolvedMin === null ? null : at(r.resolvedMin)}
        where project_id = ${P} and id = ${r.id}`);
    }
    const found = await new InsightsStore().patterns(db, P, at(-5), at(5), 2, 10);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      alertType: "High CPU",
      category: "cpu_runaway",
      occurrences: 5,
      services: ["api", "db", "web"],
      actions: ["RESTART", "SCALE_UP"],
      resolvedByAutomation: 2,
      // (10 + 30) / 2 minutes.
      meanResolveSeconds: 1200,
      firstSeen: at(0),
      lastSeen: at(0),
    });
    expect(await new InsightsStore().patterns(db, P, at(1), at(5), 1, 10)).toEqual([]);
  });
});
