import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { DEFAULT_PROJECT_ID as P } from "./database.js";
import { IncidentResourceStore } from "./incident-resource-store.js";
import { IncidentStore, type NewIncident } from "./incident-store.js";
import { projects } from "./schema.js";

const incident = (projectId: string, id: string, over: Partial<NewIncident> = {}): NewIncident => ({
  projectId,
  id,
  alertType: "Memory Leak",
  logs: "ERROR heap at 98%",
  containerName: "buggy-app-v2",
  severity: "CRITICAL",
  alertTimestamp: null,
  context: null,
  dryRun: false,
  ...over,
});

describe.each(testDatabaseKinds())("incident resource store on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("resolves ids and INC-n within the project only; filters and counts; moves the lifecycle by compare-and-set", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    const incidents = new IncidentStore();
    const store = new IncidentResourceStore();
    await db.insert(projects).values({ id: "other", name: "other" });
    await incidents.createBatch(db, [
      incident(P, "a"),
      incident(P, "b", { title: "Checkout down", service: "checkout", severity: "high", containerName: null }),
    ]);
    await incidents.createBatch(db, [incident("other", "x")]);

    const a = await incidents.resolveRow(db, P, "a");
    const x = await incidents.resolveRow(db, "other", "x");
    expect(a?.lifecycle).toBe("detected");
    expect((await incidents.resolveRow(db, P, `INC-${a?.number}`))?.id).toBe("a");
    // Another tenant's reference is not found, never resolved across projects.
    expect(await incidents.resolveRow(db, P, `INC-${x?.number}`)).toBeUndefined();
    expect(await incidents.resolveRow(db, P, "x")).toBeUndefined();

    expect(await store.count(db, P, {})).toBe(2);
    expect((await store.list(db, P, { service: "checkout" }, 10, 0)).map((r) => r.id)).toEqual(["b"]);
    expect((await store.list(db, P, { service: "buggy-app-v2" }, 10, 0)).map((r) => r.id)).toEqual(["a"]);
    expect(await store.count(db, P, { severity: "HIGH" })).toBe(1);
    expect(await store.count(db, P, { automationStatus: "RECEIVED", lifecycle: ["detected"] })).toBe(2);

    const move = (from: string, to: string) =>
      store.transition(db, {
        projectId: P,
        incidentId: "a",
        fromState: from,
        toState: to,
        at: new Date(),
        principalKind: "user",
        principalId: "alice",
      });
    expect(await move("detected", "acknowledged")).toBe(true);
    // A second writer that read `detected` too loses: nothing is overwritten or recorded.
    expect(await move("detected", "resolved")).toBe(false);
    expect((await incidents.resolveRow(db, P, "a"))?.lifecycle).toBe("acknowledged");
    expect((await store.transitions(db, P, ["a"])).get("a")?.map((r) => [r.toState, r.principalId])).toEqual([
      ["acknowledged", "alice"],
    ]);
    expect(await store.count(db, P, { lifecycle: ["acknowledged"] })).toBe(1);
    expect(await store.usage(db, P, "a")).toEqual({
      calls: 0,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: 0,
      cacheHits: 0,
      hypotheses: 0,
    });
  });
});
