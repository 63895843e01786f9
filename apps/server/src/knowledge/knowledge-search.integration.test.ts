import type { RunbookEntry } from "@aegis/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { KnowledgeStore } from "../store/knowledge-store.js";
import { RunbookStore } from "../store/runbook-store.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { KnowledgeSearch } from "./knowledge-search.js";
import { RunbookLibrary } from "./runbooks/runbook-library.js";
import { StoredKnowledgeBase } from "./stored-knowledge-base.js";
import { NoVectors } from "./vectors/vector-retrieval.js";

const entry = (id: string, over: Partial<RunbookEntry>): RunbookEntry => ({
  incident_id: id,
  alert_type: "Memory Leak",
  logs: "heap grows after every request; OOMKilled",
  container_name: "checkout",
  severity: "CRITICAL",
  root_cause: "leak in the request cache",
  action: "RESTART",
  justification: "restart frees the heap",
  confidence: 0.8,
  council_approved: true,
  replicas_used: 0,
  resolved_at: null,
  ...over,
});

describe.each(testDatabaseKinds())("knowledge base on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("prefers past fixes that worked, and serves runbooks and incidents together", async () => {
    t = await freshDatabase(kind);
    const incidents = new StoredKnowledgeBase(t.database, new KnowledgeStore());
    // The failed fix is the closer text match; the one that worked must still come first.
    await incidents.learn(
      P,
      entry("failed", { outcome: "FAILED", logs: "heap grows after every request; OOMKilled; OOMKilled" }),
    );
    await incidents.learn(
      P,
      entry("worked", {
        outcome: "RESOLVED",
        action: "SCALE_UP",
        replicas_used: 2,
        resolved_at: new Date().toISOString(),
      }),
    );
    const similar = await incidents.similar(P, "Memory Leak\nheap grows after every request, OOMKilled", 2);
    expect(similar.map((s) => [s.incident_id, s.outcome])).toEqual([
      ["worked", "RESOLVED"],
      ["failed", "FAILED"],
    ]);

    const runbooks = new RunbookLibrary(t.database, new RunbookStore(), new NoVectors());
    await runbooks.create(P, {
      id: "checkout-oom",
      title: "Checkout OOMKilled",
      service: "checkout",
      body: "The checkout pods are OOMKilled when the request cache leaks. Restart, then raise the memory limit.",
    });
    const kb = new KnowledgeSearch(runbooks, incidents);
    const r = await kb.search(P, "checkout OOMKilled, request cache leak", 5);
    expect(r.noGoodMatch).toBe(false);
    expect(new Set(r.items.map((i) => i.kind))).toEqual(new Set(["runbook", "incident"]));
    const worked = r.items.find((i) => i.id === "worked");
    expect(worked).toMatchObject({ kind: "incident", action: "SCALE_UP", outcome: "RESOLVED", service: "checkout" });
    for (let i = 1; i < r.items.length; i++) {
      expect(r.items[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(r.items[i]?.score ?? 0);
    }
    const browse = await kb.search(P, undefined, 10);
    expect(browse.items.map((i) => i.id).sort()).toEqual(["checkout-oom", "failed", "worked"]);
  });
});
