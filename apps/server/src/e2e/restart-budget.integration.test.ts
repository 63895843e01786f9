import type { IncidentResult } from "@aegis/contracts";
import type { AegisClient } from "@aegis/sdk";
import { and, count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../store/database.js";
import { actions } from "../store/schema.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { prepareEnv, ServerProcess, startInProcess } from "../testing/test-server.js";

const TARGET = "buggy-app-v2";
const INCIDENTS = 50;
const BUDGET = 3;

// The builtin analyst diagnoses these logs as a memory leak with a confident RESTART, which the
// council approves on its own while the target's restart budget has room (see crash-resume).
// Each incident a distinct problem on the same target (distinct alert types): identical alerts would
// rightly be grouped into one incident (ADR 0013), and this test is about concurrent restarts of one target.
const distinct = (id: string) => [...id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 456_976, 7);
const letters = (n: number) =>
  Array.from({ length: 4 }, (_, k) => String.fromCharCode(97 + (Math.floor(n / 26 ** k) % 26))).join("");
const leak = (id: string) => ({
  incident_id: id,
  alert_type: `Memory Leak ${letters(distinct(id))}`,
  logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request, heap used 1900MB of 2048MB; traffic flat",
  container_name: TARGET,
  severity: "CRITICAL",
});

const budgetEnv = {
  RESTART_BUDGET_PER_HOUR: String(BUDGET),
  // Every incident in flight at once, so most reach the executor after the council approved them.
  PIPELINE_CONCURRENCY: String(INCIDENTS),
  HEALTH_TIMEOUT_SECS: "2",
  HEALTH_MAX_ATTEMPTS: "8",
};

/** Seed 000's wire: a review waiting for a person stays COUNCIL_REVIEW with a pending `approval`. */
const awaiting = (i: IncidentResult) => i.status === "COUNCIL_REVIEW" && i.approval?.state === "pending";
const settled = (i: IncidentResult) => ["RESOLVED", "FAILED"].includes(i.status) || awaiting(i);

async function restartsStarted(db: Db): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(actions)
    .where(and(eq(actions.target, TARGET), eq(actions.kind, "RESTART")));
  return rows[0]?.n ?? 0;
}

/** Sends the storm (incident i to clients[i % n]) and waits until every incident has settled. */
async function storm(clients: AegisClient[], prefix: string): Promise<IncidentResult[]> {
  const ids = Array.from({ length: INCIDENTS }, (_, i) => `${prefix}-${i}`);
  const sent = await Promise.all(
    ids.map((id, i) => (clients[i % clients.length] as AegisClient).request("POST", "/webhook", leak(id))),
  );
  expect(sent.map((r) => r.status)).toEqual(ids.map(() => 200));
  const c = clients[0] as AegisClient;
  return Promise.all(ids.map((id) => c.waitFor(id, settled, 50_000, 200)));
}

/** Exactly BUDGET restarts ran; every other incident waits for a human, none failed for the budget. */
function expectBudgetHeld(done: IncidentResult[]): { executionTime: number; reviewTime: number } {
  const resolved = done.filter((i) => i.status === "RESOLVED");
  const waiting = done.filter(awaiting);
  const failed = done.filter((i) => i.status === "FAILED");
  expect(failed.map((i) => i.error)).toEqual([]);
  expect(resolved).toHaveLength(BUDGET);
  expect(waiting).toHaveLength(INCIDENTS - BUDGET);
  for (const i of resolved) expect(i.timeline.filter((t) => t.status === "RESTARTED")).toHaveLength(1);
  // Either the executor found the budget spent after the council's approval, or (reviewed later)
  // the council itself already saw the spent budget and asked for a human.
  const atExecution = waiting.filter((i) =>
    /restart budget \(\d+ of 3 in the last hour\)/.test(i.approval?.reason ?? ""),
  );
  const atReview = waiting.filter(
    (i) => !atExecution.includes(i) && i.timeline.some((t) => /budget of 3\/h/.test(t.message)),
  );
  expect(atExecution.length + atReview.length).toBe(waiting.length);
  for (const i of atExecution) {
    expect(i.council_decision?.final_verdict).toBe("APPROVED");
    expect(i.timeline.some((t) => t.status === "EXECUTING")).toBe(false);
  }
  return { executionTime: atExecution.length, reviewTime: atReview.length };
}

describe("restart budget at execution time", () => {
  let cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.allSettled(cleanups.map((c) => c()));
    cleanups = [];
  });

  it(`PGlite: ${INCIDENTS} concurrent RESTART incidents on one target → ${BUDGET} restarts, the rest wait for a human; a human's approval past the budget runs`, async () => {
    const te = await prepareEnv(budgetEnv);
    const { server, client, stop } = await startInProcess(te);
    cleanups.push(stop);

    const done = await storm([client], "pglite");
    const split = expectBudgetHeld(done);
    expect(split.executionTime).toBeGreaterThan(0);
    expect(await restartsStarted(server.database.db)).toBe(BUDGET);
    console.info(`PGlite: ${BUDGET} restarts; awaiting approval ${JSON.stringify(split)}`);

    // The human's decision stands even though the budget is spent.
    const parked = done.find(awaiting) as IncidentResult;
    const r = await client.request("POST", `/api/v1/incidents/${parked.incident_id}/approve`, { by: "alice" });
    expect(r.status).toBe(200);
    const approved = await client.waitFor(parked.incident_id, (i) => i.status === "RESOLVED" || i.status === "FAILED");
    expect(approved.status, approved.error ?? "").toBe("RESOLVED");
    const executing = approved.timeline.find((t) => t.status === "EXECUTING");
    expect(executing?.message).toMatch(/approved by alice although it exceeds the restart budget: 3 of 3/);
    expect(await restartsStarted(server.database.db)).toBe(BUDGET + 1);
  }, 120_000);

  it.runIf(testDatabaseKinds().includes("postgres"))(
    `PostgreSQL, 3 server processes: ${INCIDENTS} concurrent RESTART incidents on one target → ${BUDGET} restarts in total`,
    async () => {
      // A database of its own: restarts of earlier runs would otherwise count against the budget.
      const tdb: TestDatabase = await freshDatabase("postgres");
      cleanups.push(() => tdb.cleanup());
      const procs = await Promise.all(
        [0, 1, 2].map(
          async () => new ServerProcess(await prepareEnv({ ...budgetEnv, DATABASE_URL: tdb.url as string })),
        ),
      );
      for (const p of procs) cleanups.unshift(() => p.cleanup());
      await Promise.all(procs.map((p) => p.start()));

      const done = await storm(
        procs.map((p) => p.client),
        "pg",
      );
      const split = expectBudgetHeld(done);
      expect(await restartsStarted(tdb.database.db)).toBe(BUDGET);
      console.info(`PostgreSQL x3: ${BUDGET} restarts; awaiting approval ${JSON.stringify(split)}`);
    },
    120_000,
  );
});
