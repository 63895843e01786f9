import type { RunbookEntry } from "@aegis/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { knowledgeAdjustment } from "../analysts/builtin/knowledge-adjustment.js";
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
    // The learned-incident base also serves the runbooks to the pipeline's analysts.
    const served = await new StoredKnowledgeBase(t.database, new KnowledgeStore(), runbooks).runbooks(
      P,
      "checkout OOMKilled, request cache leak",
      3,
    );
    expect(served[0]).toMatchObject({ id: "checkout-oom", title: "Checkout OOMKilled", service: "checkout" });
    expect(served[0]?.confidence).not.toBe("low");
    expect(await incidents.runbooks(P, "checkout OOMKilled", 3)).toEqual([]);
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

  it("ranks a fix that was later reopened below one that stayed resolved, and finds recent resolutions", async () => {
    t = await freshDatabase(kind);
    const incidents = new StoredKnowledgeBase(t.database, new KnowledgeStore());
    const at = (h: number) => new Date(Date.UTC(2026, 6, 1, h)).toISOString();
    // The restart is the closer text match and was verified RESOLVED at first.
    await incidents.learn(
      P,
      entry("restarted", {
        outcome: "RESOLVED",
        logs: "heap grows after every request; OOMKilled; OOMKilled",
        resolved_at: at(10),
      }),
    );
    await incidents.learn(P, entry("scaled", { outcome: "RESOLVED", action: "SCALE_UP", resolved_at: at(8) }));
    await incidents.learn(
      P,
      entry("elsewhere", { outcome: "RESOLVED", container_name: "payments", resolved_at: at(9) }),
    );
    const query = "Memory Leak\nheap grows after every request, OOMKilled";
    expect((await incidents.similar(P, query, 2)).map((s) => s.incident_id)).toEqual(["restarted", "scaled"]);

    const recent = await incidents.resolvedBetween(P, "Checkout", new Date(at(7)), new Date(at(11)));
    expect(recent.map((e) => e.incident_id)).toEqual(["restarted", "scaled"]);

    // The problem came back after the restart: that fix is now REOPENED and ranks below the one that held.
    expect(await incidents.setOutcome(P, "restarted", "REOPENED")).toMatchObject({ outcome: "REOPENED" });
    expect(await incidents.setOutcome(P, "missing", "REOPENED")).toBeNull();
    const after = await incidents.similar(P, query, 3);
    const order = after.map((s) => s.incident_id);
    expect(order.indexOf("scaled")).toBeLessThan(order.indexOf("restarted"));
    expect(after.find((s) => s.incident_id === "restarted")?.outcome).toBe("REOPENED");
    expect(
      (await incidents.resolvedBetween(P, "checkout", new Date(at(7)), new Date(at(11)))).map((e) => e.incident_id),
    ).toEqual(["scaled"]);
    // Persisted: a fresh instance over the same database sees the new outcome.
    const reloaded = new StoredKnowledgeBase(t.database, new KnowledgeStore());
    expect((await reloaded.list(P)).find((e) => e.incident_id === "restarted")?.outcome).toBe("REOPENED");

    // The builtin analyst's knowledge adjustment counts it against repeating the restart.
    const adj = knowledgeAdjustment("RESTART", after);
    expect(adj.delta).toBeLessThan(0);
    expect(adj.notes.join(" ")).toMatch(/restarted .* ended REOPENED/);
  });
});
