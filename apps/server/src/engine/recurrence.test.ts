import type { FixOutcome, RunbookEntry } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../ports/knowledge-base.js";
import { DEFAULT_REOPEN_WINDOW_MS, recurrenceMessage, reopenRecurrence } from "./recurrence.js";

const HOUR = 3_600_000;
const NOW = new Date("2026-07-01T12:00:00.000Z");

const entry = (id: string, over: Partial<RunbookEntry> = {}): RunbookEntry => ({
  incident_id: id,
  alert_type: "Memory Leak",
  logs: "",
  container_name: "checkout",
  severity: "CRITICAL",
  root_cause: "leak",
  action: "RESTART",
  justification: "",
  confidence: 0.8,
  council_approved: true,
  replicas_used: 0,
  resolved_at: new Date(NOW.getTime() - 2 * HOUR).toISOString(),
  outcome: "RESOLVED",
  ...over,
});

/** An in-memory knowledge base with the same resolvedBetween/setOutcome contract as the stored one. */
function fakeKnowledge(entries: RunbookEntry[]): KnowledgeBase & { byId: Map<string, RunbookEntry> } {
  const byId = new Map(entries.map((e) => [e.incident_id, e]));
  return {
    byId,
    learn: async () => undefined,
    list: async () => [...byId.values()],
    similar: async () => [],
    runbooks: async () => [],
    resolvedBetween: async (_p, service, from, to) =>
      [...byId.values()]
        .filter(
          (e) =>
            e.outcome === "RESOLVED" &&
            e.resolved_at !== null &&
            e.container_name === service &&
            Date.parse(e.resolved_at) >= from.getTime() &&
            Date.parse(e.resolved_at) <= to.getTime(),
        )
        .sort((a, b) => Date.parse(b.resolved_at as string) - Date.parse(a.resolved_at as string)),
    setOutcome: async (_p, id, outcome: FixOutcome) => {
      const e = byId.get(id);
      if (!e) return null;
      const next = { ...e, outcome };
      byId.set(id, next);
      return next;
    },
  };
}

const incoming = { id: "INC-new", alertType: "MemoryLeak", containerName: "checkout", receivedAt: NOW };

describe("reopenRecurrence", () => {
  it("marks the latest fix of the same alert on the same service REOPENED", async () => {
    const kb = fakeKnowledge([
      entry("INC-old", { resolved_at: new Date(NOW.getTime() - 20 * HOUR).toISOString() }),
      entry("INC-recent"),
    ]);
    const r = await reopenRecurrence(
      { knowledge: kb, categoryOf: async () => null },
      "p",
      incoming,
      null,
      DEFAULT_REOPEN_WINDOW_MS,
    );
    expect(r?.earlier.incident_id).toBe("INC-recent");
    expect(r?.matchedBy).toBe("alert_type");
    expect(kb.byId.get("INC-recent")?.outcome).toBe("REOPENED");
    expect(kb.byId.get("INC-old")?.outcome).toBe("RESOLVED");
    expect(recurrenceMessage(r as NonNullable<typeof r>, NOW)).toMatch(
      /^Recurrence of INC-recent \(same service and alert, 2 h 0 min after it was resolved\): its fix RESTART is now recorded as REOPENED/,
    );
    // Idempotent: a second look (a resumed run) finds INC-old, which is a separate, older fix, only if it matches too.
    const again = await reopenRecurrence(
      { knowledge: kb, categoryOf: async () => null },
      "p",
      incoming,
      null,
      3 * HOUR,
    );
    expect(again).toBeNull();
  });

  it("ignores other services, other alerts, failed fixes and anything outside the window", async () => {
    const kb = fakeKnowledge([
      entry("other-service", { container_name: "payments" }),
      entry("other-alert", { alert_type: "High CPU" }),
      entry("failed", { outcome: "FAILED" }),
      entry("too-old", { resolved_at: new Date(NOW.getTime() - 25 * HOUR).toISOString() }),
      entry("after", { resolved_at: new Date(NOW.getTime() + HOUR).toISOString() }),
    ]);
    const r = await reopenRecurrence(
      { knowledge: kb, categoryOf: async () => "cpu_runaway" },
      "p",
      incoming,
      null,
      DEFAULT_REOPEN_WINDOW_MS,
    );
    expect(r).toBeNull();
    expect([...kb.byId.values()].filter((e) => e.outcome === "REOPENED")).toEqual([]);
  });

  it("matches a differently named alert by the diagnosis, but not by a vague one", async () => {
    const kb = fakeKnowledge([entry("INC-heap", { alert_type: "HighMemoryUsage" })]);
    const lookup = { knowledge: kb, categoryOf: async (id: string) => (id === "INC-heap" ? "memory_leak" : null) };
    expect(await reopenRecurrence(lookup, "p", incoming, "unknown", DEFAULT_REOPEN_WINDOW_MS)).toBeNull();
    expect(await reopenRecurrence(lookup, "p", incoming, "cpu_runaway", DEFAULT_REOPEN_WINDOW_MS)).toBeNull();
    const r = await reopenRecurrence(lookup, "p", incoming, "memory_leak", DEFAULT_REOPEN_WINDOW_MS);
    expect(r).toMatchObject({ matchedBy: "category", earlier: { incident_id: "INC-heap", outcome: "REOPENED" } });
  });

  it("does nothing without a service or with the window off", async () => {
    const kb = fakeKnowledge([entry("INC-recent")]);
    const lookup = { knowledge: kb, categoryOf: async () => null };
    expect(
      await reopenRecurrence(lookup, "p", { ...incoming, containerName: null }, null, DEFAULT_REOPEN_WINDOW_MS),
    ).toBeNull();
    expect(await reopenRecurrence(lookup, "p", incoming, null, 0)).toBeNull();
    expect(
      await reopenRecurrence(lookup, "p", { ...incoming, id: "INC-recent" }, null, DEFAULT_REOPEN_WINDOW_MS),
    ).toBeNull();
  });
});
