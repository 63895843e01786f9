import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { newIncident } from "../testing/new-incident.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { DEFAULT_PROJECT_ID as P } from "./database.js";
import { IncidentResourceStore } from "./incident-resource-store.js";
import { IncidentStore } from "./incident-store.js";
import { InsightsStore } from "./insights-store.js";
import { incidents, incidentTransitions } from "./schema.js";

const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));

describe.each(testDatabaseKinds())("response times kept on the incident on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("records the first acknowledgement and the first resolution, whoever writes the transitions", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    await new IncidentStore().createBatch(
      db,
      ["a", "b", "c"].map((id) => newIncident(id)),
      at(0),
    );
    const resource = new IncidentResourceStore();
    const move = (incidentId: string, fromState: string, toState: string, m: number) =>
      resource.transition(db, {
        projectId: P,
        incidentId,
        fromState,
        toState,
        at: at(m),
        principalKind: "user",
        principalId: "u",
      });

    // a: acknowledged at 5, resolved at 20, reopened, resolved again at 50: the first resolution stays.
    expect(await move("a", "detected", "acknowledged", 5)).toBe(true);
    expect(await move("a", "acknowledged", "resolved", 20)).toBe(true);
    expect(await move("a", "resolved", "investigating", 30)).toBe(true);
    expect(await move("a", "investigating", "resolved", 50)).toBe(true);
    // b: a refused move (not in `detected` any more) records nothing.
    expect(await move("b", "acknowledged", "resolved", 7)).toBe(false);
    // c: written in bulk, as an import or a test fixture would, in one statement and out of order.
    await db.insert(incidentTransitions).values([
      {
        projectId: P,
        incidentId: "c",
        fromState: "mitigated",
        toState: "resolved",
        at: at(40),
        principalKind: "user",
        principalId: "u",
      },
      {
        projectId: P,
        incidentId: "c",
        fromState: "detected",
        toState: "mitigated",
        at: at(10),
        principalKind: "user",
        principalId: "u",
      },
      {
        projectId: P,
        incidentId: "c",
        fromState: "investigating",
        toState: "resolved",
        at: at(25),
        principalKind: "user",
        principalId: "u",
      },
    ]);

    const moments = async (id: string) => {
      const [row] = await db
        .select({ ack: incidents.acknowledgedAt, res: incidents.firstResolvedAt })
        .from(incidents)
        .where(and(eq(incidents.projectId, P), eq(incidents.id, id)));
      return { ack: row?.ack?.toISOString() ?? null, res: row?.res?.toISOString() ?? null };
    };
    expect(await moments("a")).toEqual({ ack: at(5).toISOString(), res: at(20).toISOString() });
    expect(await moments("b")).toEqual({ ack: null, res: null });
    expect(await moments("c")).toEqual({ ack: at(10).toISOString(), res: at(25).toISOString() });

    // The insights read them: a 5 and 10 min to acknowledge, 20 and 25 min to resolve; b counts in neither.
    const insights = new InsightsStore();
    const times = await insights.responseTimes(db, P, at(-1), at(60));
    expect(times.incidents).toBe(3);
    expect(times.acknowledge).toMatchObject({ count: 2, mean: 450, p50: 450 });
    expect(times.resolve).toMatchObject({ count: 2, mean: 1350, p50: 1350 });
    const counts = await insights.dashboardCounts(db, P, at(-1), at(-1), at(60));
    expect(counts.acknowledge).toEqual({ count: 2, mean: 450 });
    expect(counts.resolve).toEqual({ count: 2, mean: 1350 });
    // Outside the month (opened before it), they count in neither mean.
    const later = await insights.dashboardCounts(db, P, at(59), at(59), at(60));
    expect(later.acknowledge).toEqual({ count: 0, mean: null });
  });
});
