import type { RunbookEntry } from "@aegis/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessEventBus } from "../events/event-bus.js";
import { createKnowledge, type Knowledge } from "../knowledge/create-knowledge.js";
import type { Principal } from "../ports/identity.js";
import { createLogger } from "../shared/logger.js";
import { IncidentResourceStore } from "../store/incident-resource-store.js";
import { IncidentStore } from "../store/incident-store.js";
import { InsightSettingsStore } from "../store/insight-settings-store.js";
import { incidents } from "../store/schema.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { IncidentActions } from "./incident-actions.js";
import { IncidentResource } from "./incident-resource.js";
import { IncidentRecorder } from "./recorder.js";

const alice: Principal = { kind: "user", id: "alice", displayName: "Alice", role: "member" };

const learned = (id: string, logs: string): RunbookEntry => ({
  incident_id: id,
  alert_type: "Memory Leak",
  logs,
  container_name: "api",
  severity: "critical",
  root_cause: "heap grows after every batch",
  action: "RESTART",
  justification: "restart reclaims the heap",
  confidence: 0.9,
  council_approved: true,
  replicas_used: 0,
  resolved_at: "2026-12-01T00:00:00.000Z",
  outcome: "RESOLVED",
});

/** `related`: the knowledge base's similar past incidents, the incident itself left out, re-ranked by feedback. */
describe.each(testDatabaseKinds())("related incidents on %s", (kind) => {
  let tdb: TestDatabase;
  let kb: Knowledge;
  let actions: IncidentActions;
  beforeAll(async () => {
    tdb = await freshDatabase(kind);
    const database = tdb.database;
    kb = createKnowledge(database, createLogger("silent"), { embeddingsModel: "none", embeddingsMinSimilarity: 0.5 });
    const store = new IncidentStore();
    const recorder = new IncidentRecorder(database, store, new InProcessEventBus());
    const resource = new IncidentResource(database, new IncidentResourceStore(), store, recorder, {
      open: async () => undefined,
    });
    actions = new IncidentActions(
      database,
      resource,
      store,
      { openProposed: async () => undefined },
      recorder,
      kb.incidents,
      new InsightSettingsStore(),
    );
    const row = (id: string, logs: string) => ({
      projectId: "default",
      id,
      alertType: "Memory Leak",
      logs,
      containerName: "api",
      status: "RESOLVED",
    });
    await database.db
      .insert(incidents)
      .values([
        row("now", "ERROR java.lang.OutOfMemoryError heap space in worker pool"),
        row("close", "ERROR java.lang.OutOfMemoryError heap space in worker pool batch"),
        row("far", "ERROR OutOfMemoryError in scheduler"),
      ]);
    await kb.incidents.learn("default", learned("now", "ERROR java.lang.OutOfMemoryError heap space in worker pool"));
    await kb.incidents.learn(
      "default",
      learned("close", "ERROR java.lang.OutOfMemoryError heap space in worker pool batch"),
    );
    await kb.incidents.learn("default", learned("far", "ERROR OutOfMemoryError in scheduler"));
  });
  afterAll(async () => {
    await kb?.close();
    await tdb?.cleanup();
  });

  it("ranks by similarity, leaves the incident itself out, then lets feedback move a past incident up", async () => {
    const before = await actions.related("default", "now", 5);
    expect(before.map((r) => r.incident_id)).toEqual(["close", "far"]);
    expect(before[0]?.reference).toMatch(/^INC-\d+$/);
    expect(before.every((r) => r.score === r.similarity_score)).toBe(true);
    const gap = (before[0]?.similarity_score ?? 0) / (before[1]?.similarity_score ?? 1);

    // Two people found "far" helpful, one found "close" not helpful.
    await actions.feedback("default", alice, { incident_id: "far", helpful: true, accuracy: 5 });
    await actions.feedback("default", alice, { incident_id: "far", helpful: true });
    await actions.feedback("default", alice, { incident_id: "close", helpful: false, accuracy: 1 });
    const after = await actions.related("default", "now", 5);
    const far = after.find((r) => r.incident_id === "far");
    const close = after.find((r) => r.incident_id === "close");
    expect(far?.feedback).toEqual({ helpful: 2, not_helpful: 0, mean_accuracy: 5 });
    expect(far?.score).toBeCloseTo(Math.min(1, (far?.similarity_score ?? 0) * 1.25), 3);
    expect(close?.score).toBeCloseTo((close?.similarity_score ?? 0) * 0.75, 3);
    // ×1.25 against ×0.75 overturns any similarity gap below 5/3.
    expect(gap).toBeLessThan(5 / 3);
    expect(after[0]?.incident_id).toBe("far");
    expect(await actions.related("default", "now", 1)).toHaveLength(1);
  });
});
