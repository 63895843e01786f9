import type { IncidentResult } from "@aegis/contracts";
import { afterEach, expect, it } from "vitest";
import { prepareEnv, ServerProcess } from "../testing/test-server.js";

let proc: ServerProcess | undefined;
afterEach(async () => proc?.cleanup());

const PENDING = new Set(["RECEIVED", "ANALYSING", "COUNCIL_REVIEW"]);
const BATCH = 32;

/** Distinct dry-run problems, half on the demo service and half on services the executor does not manage. */
const alert = (id: string, k: number) => ({
  incident_id: id,
  alert_type: `Memory Leak (${k})`,
  logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request, heap used 1900MB of 2048MB; traffic flat",
  container_name: k % 2 === 0 ? "buggy-app-v2" : `svc-${k}`,
  severity: "CRITICAL",
  dry_run: true,
});

async function all(p: ServerProcess): Promise<IncidentResult[]> {
  const r = await p.client.request("GET", "/incidents?limit=5000");
  return r.body as IncidentResult[];
}

it("SIGKILL while batches are between their stages: the restarted server decides every incident exactly once", async () => {
  // Every stage committed alone (no folding), so a kill can find a batch between its stages.
  proc = new ServerProcess(
    await prepareEnv({ PIPELINE_BATCH_SIZE: String(BATCH), PIPELINE_STAGE_FOLD_MS: "0", LOG_LEVEL: "error" }),
  );
  await proc.start();
  const ids: string[] = [];
  /** A storm of 400 more distinct dry runs, all accepted before this returns. */
  const storm = async () => {
    const wave = Array.from({ length: 400 }, (_, k) => `batch-crash-${ids.length + k}`);
    ids.push(...wave);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let k = next++; k < wave.length; k = next++) {
          const r = await proc?.client.request("POST", "/webhook", alert(wave[k] as string, k));
          expect(r?.status).toBe(200);
        }
      }),
    );
    // While alerts arrive the worker runs small paced batches (ingest first), which finish too fast for
    // a kill to land in one: kill once the storm's ingest is over and full batches run again.
    await new Promise((r) => setTimeout(r, 600));
  };
  await storm();
  // Kill while a batch is between its stages: some incidents decided, others mid-way (ANALYSING or
  // COUNCIL_REVIEW). The poll that sees that state can race the batch's next commit (then the restart has
  // nothing to resume), so kill again while work remains (another storm when none does), until a restart
  // has resumed an interrupted batch.
  const end = Date.now() + 180_000;
  const MID = new Set(["ANALYSING", "COUNCIL_REVIEW"]);
  let list: IncidentResult[] = [];
  let kills = 0;
  const resumedCount = (l: IncidentResult[]) =>
    l.reduce((n, i) => n + i.timeline.filter((t) => t.status === "RESUMED").length, 0);
  const decidedIn = (l: IncidentResult[]) => l.filter((i) => !PENDING.has(i.status)).length;
  while (kills < 8 && Date.now() < end) {
    let decidedAtKill = -1;
    while (Date.now() < end) {
      list = await all(proc);
      const decided = decidedIn(list);
      if (decided >= ids.length) break;
      if (decided > 0 && list.some((i) => MID.has(i.status))) {
        await proc.kill("SIGKILL");
        decidedAtKill = decided;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    if (decidedAtKill < 0) {
      if (ids.length >= 1600) break;
      await storm();
      continue;
    }
    kills++;
    await proc.start();
    // The restart claims the interrupted batch first: two batches on, it has resumed it, if there was one.
    while (Date.now() < end) {
      list = await all(proc);
      if (resumedCount(list) > 0 || decidedIn(list) >= Math.min(ids.length, decidedAtKill + 2 * BATCH)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    if (resumedCount(list) > 0) break;
  }
  expect(kills).toBeGreaterThan(0);

  while (Date.now() < end + 120_000) {
    list = await all(proc);
    if (list.length === ids.length && list.every((i) => !PENDING.has(i.status))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(list).toHaveLength(ids.length);
  let resumed = 0;
  for (const i of list) {
    const count = (s: string) => i.timeline.filter((t) => t.status === s).length;
    expect(PENDING.has(i.status), `${i.incident_id} ${i.status}`).toBe(false);
    expect(count("RECEIVED"), i.incident_id).toBe(1);
    expect(count("AI_COMPLETE"), i.incident_id).toBe(1);
    expect(count("COUNCIL_DECISION"), i.incident_id).toBe(1);
    expect(count("COUNCIL_VOTE"), i.incident_id).toBe(i.council_decision?.votes.length);
    const dryRunEnds = i.timeline.filter((t) => t.message.startsWith("Dry run:")).length;
    expect(dryRunEnds, i.incident_id).toBe(i.council_decision?.final_verdict === "APPROVED" ? 1 : 0);
    resumed += count("RESUMED");
  }
  // Approved dry runs (their closing entry is part of the last stage's commit), and the kill interrupted a batch.
  expect(list.map((i) => i.council_decision?.final_verdict)).toContain("APPROVED");
  expect(resumed).toBeGreaterThan(0);
  expect(list.filter((i) => i.timeline.some((t) => t.message.startsWith("Dry run:"))).length).toBeGreaterThan(0);
}, 300_000);

it("SIGKILL while folded batches run (the default): every incident decided exactly once after the restart", async () => {
  proc = new ServerProcess(await prepareEnv({ PIPELINE_BATCH_SIZE: String(BATCH), LOG_LEVEL: "error" }));
  await proc.start();
  const ids = Array.from({ length: 400 }, (_, k) => `batch-fold-${k}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let k = next++; k < ids.length; k = next++) {
        const r = await proc?.client.request("POST", "/webhook", alert(ids[k] as string, k));
        expect(r?.status).toBe(200);
      }
    }),
  );
  // Kill with some incidents decided and others not: a batch's commit may be anywhere in flight.
  const end = Date.now() + 180_000;
  let list: IncidentResult[] = [];
  let killedAt = -1;
  while (Date.now() < end) {
    list = await all(proc);
    const decided = list.filter((i) => !PENDING.has(i.status)).length;
    if (decided > 0 && decided < ids.length) {
      await proc.kill("SIGKILL");
      killedAt = decided;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(killedAt).toBeGreaterThan(0);
  await proc.start();
  while (Date.now() < end) {
    list = await all(proc);
    if (list.length === ids.length && list.every((i) => !PENDING.has(i.status))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(list).toHaveLength(ids.length);
  for (const i of list) {
    const count = (s: string) => i.timeline.filter((t) => t.status === s).length;
    expect(PENDING.has(i.status), `${i.incident_id} ${i.status}`).toBe(false);
    expect(count("RECEIVED"), i.incident_id).toBe(1);
    expect(count("ANALYSING"), i.incident_id).toBeGreaterThanOrEqual(1);
    expect(count("AI_COMPLETE"), i.incident_id).toBe(1);
    expect(count("COUNCIL_DECISION"), i.incident_id).toBe(1);
    expect(count("COUNCIL_VOTE"), i.incident_id).toBe(i.council_decision?.votes.length);
    const dryRunEnds = i.timeline.filter((t) => t.message.startsWith("Dry run:")).length;
    expect(dryRunEnds, i.incident_id).toBe(i.council_decision?.final_verdict === "APPROVED" ? 1 : 0);
  }
}, 300_000);
