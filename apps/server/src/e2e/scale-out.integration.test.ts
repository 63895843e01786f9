import type { FrameStream } from "@aegis/sdk";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { prepareEnv, ServerProcess } from "../testing/test-server.js";

const procs: ServerProcess[] = [];
const sockets: FrameStream[] = [];
let db: TestDatabase | undefined;
afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all(procs.map((p) => p.cleanup()));
  await db?.cleanup();
});

const INCIDENTS = 60;
/** Jobs a process claims per batch in this test. */
const BATCH = 4;
const incident = (id: string) => ({
  incident_id: id,
  alert_type: "Memory Leak",
  logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request, heap used 1900MB of 2048MB; traffic flat",
  container_name: "buggy-app-v2",
  severity: "CRITICAL",
  dry_run: true,
});

it.skipIf(!testDatabaseKinds().includes("postgres"))(
  "three processes on one PostgreSQL: WebSocket clients of every process see the frames of incidents run anywhere; a killed process's incidents finish elsewhere exactly once",
  async () => {
    db = await freshDatabase("postgres");
    await db.database.close();
    for (let i = 0; i < 3; i++) {
      const te = await prepareEnv({
        DATABASE_URL: db.url as string,
        AEGIS_DEMO_APP: "false",
        PIPELINE_CONCURRENCY: "4",
        // Batches of 4: a process has at most two batches (8 jobs) in flight, the bound on frames lost below.
        PIPELINE_BATCH_SIZE: String(BATCH),
      });
      procs.push(new ServerProcess(te));
    }
    await Promise.all(procs.map((p) => p.start()));
    for (const p of procs) sockets.push(await p.client.socket());
    const t0 = Date.now();

    const ids = Array.from({ length: INCIDENTS }, (_, i) => `scale-out-${i}`);
    // Spread across the processes, as a load balancer would.
    const posted = await Promise.all(
      ids.map((id, i) => procs[i % 3]?.client.request("POST", "/webhook", incident(id))),
    );
    expect(posted.every((r) => r?.status === 200)).toBe(true);

    // Kill one process while incidents are in flight; its claimed jobs come back when their lease expires.
    const survivors = procs.slice(0, 2);
    const victim = procs[2] as ServerProcess;
    const c = survivors[0]?.client;
    if (!c) throw new Error("no client");
    // Jobs are claimed in order: once an early one is decided, every process is working on its share.
    await c.waitFor(ids[6] as string, (i) => i.council_decision !== null, 60_000, 20);
    await victim.kill("SIGKILL");

    for (const id of ids) {
      const done = await c.waitFor(
        id,
        (i) => i.council_decision !== null && i.status !== "COUNCIL_REVIEW",
        120_000,
        200,
      );
      const statuses = done.timeline.map((t) => t.status);
      expect(
        statuses.filter((s) => s === "RECEIVED"),
        id,
      ).toHaveLength(1);
      expect(
        statuses.filter((s) => s === "AI_COMPLETE"),
        id,
      ).toHaveLength(1);
      expect(
        statuses.filter((s) => s === "COUNCIL_DECISION"),
        id,
      ).toHaveLength(1);
    }
    // Frames published by any process reached both surviving clients, once each. The victim's frames are
    // at most once (ADR 0019): those committed in the instant before SIGKILL may never have been sent, so
    // up to its jobs in flight (two batches) may be missing, and then missing on both survivors alike.
    await new Promise((r) => setTimeout(r, 500));
    const seen = sockets
      .slice(0, 2)
      .map((s) => s.frames.filter((f) => f.type === "council.decision").map((f) => f.incident_id));
    for (const decisions of seen) {
      expect(new Set(decisions).size, "no frame delivered twice").toBe(decisions.length);
      expect(decisions.length).toBeGreaterThanOrEqual(INCIDENTS - 2 * BATCH);
    }
    expect(new Set(seen[0])).toEqual(new Set(seen[1]));
    // One leader collects metrics for everyone: about one `metrics` frame per interval reaches a client,
    // not one per process. A fast run can end before the first interval (or before a survivor takes over
    // from a killed leader): wait for two frames, within a bound.
    const metricsOf = () => sockets[0]?.frames.filter((f) => f.type === "metrics").length ?? 0;
    for (let i = 0; i < 150 && metricsOf() < 2; i++) await new Promise((r) => setTimeout(r, 200));
    const seconds = (Date.now() - t0) / 1000;
    const metricsFrames = metricsOf();
    expect(metricsFrames).toBeGreaterThan(0);
    expect(metricsFrames).toBeLessThanOrEqual(Math.ceil(seconds * 1.2) + 3);
    // Each decision is audited once, by the process that made it, not once per process that saw its frame.
    // Entries are appended after the commit (group-committed), so the survivors' last ones may still be on
    // their way: read until every survivor-decided incident has one, within a bound. The victim's are at most
    // once, like its frames (those it had not appended when killed are lost).
    const audit = new pg.Client({ connectionString: db.url });
    await audit.connect();
    const audited = async () =>
      (
        await audit.query<{ id: string; n: string }>(
          "select resource_id as id, count(*) as n from audit_log where action = 'council.decision' group by resource_id",
        )
      ).rows;
    let rows = await audited();
    for (let i = 0; i < 50 && rows.length < INCIDENTS - 2 * BATCH; i++) {
      await new Promise((r) => setTimeout(r, 200));
      rows = await audited();
    }
    await audit.end();
    expect(rows.filter((r) => Number(r.n) > 1)).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(INCIDENTS / 2);
    const resumed = await Promise.all(ids.map((id) => c.incident(id)));
    const byVictim = resumed.filter((i) => i?.timeline.some((t) => t.status === "RESUMED")).length;
    // Not asserted > 0: whether the victim held a job at the instant it died depends on timing.
    console.log(`scale-out: ${byVictim} of ${INCIDENTS} incidents resumed after the kill`);
  },
  240_000,
);
