import type { IncidentResult } from "@aegis/contracts";
import { afterEach, expect, it } from "vitest";
import { diagnosisJson, FakeOpenAiServer, openAiText, pieces } from "../testing/fake-llm-server.js";
import { prepareEnv, ServerProcess } from "../testing/test-server.js";

let proc: ServerProcess | undefined;
let fake: FakeOpenAiServer | undefined;
afterEach(async () => {
  await proc?.cleanup();
  await fake?.stop();
  fake = undefined;
});

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

it("SIGKILL while batches wait between their stages: the restarted server decides every incident exactly once", async () => {
  // A model that answers when told: the first process is killed while a batch waits on its diagnoses
  // (ANALYSING committed), the second while it waits on the council's model reviews (COUNCIL_REVIEW
  // committed), the third runs everything to its decision.
  let hold: "diagnosis" | "council" | null = "diagnosis";
  const held: (() => void)[] = [];
  fake = await new FakeOpenAiServer((body) => {
    const system = String((body.messages as { content: string }[])[0]?.content ?? "");
    const kind = system.includes("of an incident council") ? "council" : "diagnosis";
    const answer =
      kind === "council"
        ? openAiText([JSON.stringify({ verdict: "APPROVED", reasoning: "review: looks fine" })])
        : openAiText(pieces(diagnosisJson()));
    return hold === kind ? { events: answer, until: new Promise<void>((r) => held.push(r)) } : { events: answer };
  }).start();
  // Every stage committed alone (no folding), so a stage waiting on the model leaves the one before it durable.
  proc = new ServerProcess(
    await prepareEnv({
      PIPELINE_BATCH_SIZE: String(BATCH),
      PIPELINE_STAGE_FOLD_MS: "0",
      LOG_LEVEL: "error",
      AEGIS_LLM_CHAIN: "openai,builtin",
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: "sk-batch-crash-0000000000",
      AEGIS_LLM_MODEL: "gpt-4o-mini",
      AEGIS_LLM_TIMEOUT_SECS: "120",
    }),
  );
  await proc.start();
  const ids = Array.from({ length: 4 * BATCH }, (_, k) => `batch-crash-${k}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let k = next++; k < ids.length; k = next++) {
        const r = await proc?.client.request("POST", "/webhook", alert(ids[k] as string, k));
        expect(r?.status).toBe(200);
      }
    }),
  );
  const end = Date.now() + 120_000;
  /** Polls until some incident is in `status` (its stage committed, the next one waiting on the model). */
  const waitFor = async (status: string) => {
    for (;;) {
      const list = await all(proc as ServerProcess);
      if (list.some((i) => i.status === status)) return;
      if (Date.now() > end) throw new Error(`no incident reached ${status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await waitFor("ANALYSING");
  await proc.kill("SIGKILL");
  hold = "council";
  await proc.start();
  await waitFor("COUNCIL_REVIEW");
  await proc.kill("SIGKILL");
  hold = null;
  for (const release of held.splice(0)) release();
  await proc.start();

  let list: IncidentResult[] = [];
  while (Date.now() < end) {
    list = await all(proc);
    if (list.length === ids.length && list.every((i) => !PENDING.has(i.status))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(list).toHaveLength(ids.length);
  const resumedDuring = new Set<string>();
  for (const i of list) {
    const count = (s: string) => i.timeline.filter((t) => t.status === s).length;
    expect(PENDING.has(i.status), `${i.incident_id} ${i.status}`).toBe(false);
    expect(count("RECEIVED"), i.incident_id).toBe(1);
    expect(count("AI_COMPLETE"), i.incident_id).toBe(1);
    expect(count("COUNCIL_DECISION"), i.incident_id).toBe(1);
    expect(count("COUNCIL_VOTE"), i.incident_id).toBe(i.council_decision?.votes.length);
    const dryRunEnds = i.timeline.filter((t) => t.message.startsWith("Dry run:")).length;
    expect(dryRunEnds, i.incident_id).toBe(i.council_decision?.final_verdict === "APPROVED" ? 1 : 0);
    for (const t of i.timeline) if (t.status === "RESUMED") resumedDuring.add(t.message);
  }
  // Both interruptions were resumed where they stopped, and approved dry runs ended with their decision.
  expect([...resumedDuring].sort()).toEqual([
    "Resumed after an interruption during ANALYSING.",
    "Resumed after an interruption during COUNCIL_REVIEW.",
  ]);
  expect(list.map((i) => i.council_decision?.final_verdict)).toContain("APPROVED");
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
