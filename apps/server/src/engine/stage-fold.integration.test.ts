import type { IncidentResult, WsFrame } from "@aegis/contracts";
import type { AegisClient } from "@aegis/sdk";
import { afterEach, expect, it } from "vitest";
import { BuiltinAnalyst } from "../analysts/builtin/builtin-analyst.js";
import type { Analyst } from "../ports/analyst.js";
import { postDryRunStorm } from "../testing/dry-run-storm.js";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

let stop: (() => Promise<void>) | undefined;
afterEach(async () => stop?.());

async function start(analyst?: Analyst): Promise<AegisClient> {
  const env = await prepareEnv({ AEGIS_DEMO_APP: "false", PIPELINE_BATCH_SIZE: "16" });
  const started = await startInProcess(env, analyst ? { analyst } : {});
  stop = started.stop;
  return started.client;
}

/** `n` distinct dry runs, all sent at once (claimed in batches). */
async function storm(client: AegisClient, tag: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, k) => `${tag}-${Date.now().toString(36)}-${k}`);
  for (const status of await postDryRunStorm(client, ids)) expect(status).toBe(200);
  return ids;
}

async function settled(client: AegisClient, ids: string[]): Promise<IncidentResult[]> {
  const end = Date.now() + 60_000;
  let list: IncidentResult[] = [];
  while (Date.now() < end) {
    list = (await client.request("GET", "/incidents?limit=500")).body as IncidentResult[];
    const mine = list.filter((i) => ids.includes(i.incident_id));
    // Seed 000's wire shows AWAITING_APPROVAL as COUNCIL_REVIEW: decided is "has its decision entry".
    if (mine.length === ids.length && mine.every((i) => i.timeline.some((t) => t.status === "COUNCIL_DECISION")))
      return mine;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `incidents not decided in time: ${JSON.stringify(list.filter((i) => ids.includes(i.incident_id)).map((i) => i.status))} of ${list.length}`,
  );
}

it("a fast batch commits its stages together: same timeline, same frames in the same order", async () => {
  const client = await start();
  const sock = await client.socket();
  const ids = await storm(client, "fold", 40);
  const list = await settled(client, ids);
  await new Promise((r) => setTimeout(r, 300));
  for (const i of list) {
    const statuses = i.timeline.map((t) => t.status);
    // RECEIVED, the retrieval entries, ANALYSING, AI_COMPLETE, COUNCIL_REVIEW, the votes, the decision, the verdict.
    const at = (s: string) => statuses.indexOf(s);
    expect(statuses[0], i.incident_id).toBe("RECEIVED");
    expect(at("RAG_RETRIEVAL")).toBeGreaterThan(0);
    expect(at("ANALYSING")).toBeGreaterThan(at("RAG_RETRIEVAL"));
    expect(at("AI_COMPLETE")).toBe(at("ANALYSING") + 1);
    expect(at("COUNCIL_REVIEW")).toBe(at("AI_COMPLETE") + 1);
    expect(at("COUNCIL_VOTE")).toBe(at("COUNCIL_REVIEW") + 1);
    // The policy council: SRE_AGENT, SECURITY_OFFICER, AUDITOR.
    expect(statuses.filter((s) => s === "COUNCIL_VOTE")).toHaveLength(3);
    expect(statuses.filter((s) => s === "AI_COMPLETE")).toHaveLength(1);
    expect(statuses.filter((s) => s === "COUNCIL_DECISION")).toHaveLength(1);

    // Frames: what committing stage by stage sends, in that order; the analysis' progress after ANALYSING.
    const frames = sock.frames.filter((f: WsFrame) => f.incident_id === i.incident_id);
    const kinds = frames.map((f) =>
      f.type === "status.update" ? `status:${(f.data as { status: string }).status}` : f.type,
    );
    const first = (k: string) => kinds.indexOf(k);
    const last = (k: string) => kinds.lastIndexOf(k);
    expect(first("status:ANALYSING"), i.incident_id).toBeGreaterThan(-1);
    expect(first("ai.stream")).toBeGreaterThan(first("status:ANALYSING"));
    expect(last("ai.stream")).toBeLessThan(first("status:AI_COMPLETE"));
    expect(first("status:COUNCIL_REVIEW")).toBeGreaterThan(first("status:AI_COMPLETE"));
    // (A batch sends ai.complete after both entries of its commit, a lone job between them: as before.)
    expect(first("ai.complete")).toBeGreaterThan(first("status:AI_COMPLETE"));
    expect(first("status:COUNCIL_VOTE")).toBeGreaterThan(first("ai.complete"));
    expect(first("council.decision")).toBe(kinds.length - 1);
    // Every timeline entry after RECEIVED went out as exactly one status.update, in timeline order.
    const updates = frames.filter((f) => f.type === "status.update").map((f) => (f.data as { status: string }).status);
    expect(updates).toEqual(statuses.slice(statuses.indexOf("RAG_RETRIEVAL")));
  }
}, 120_000);

it("a slow analysis gets the stages before it committed while it runs: ANALYSING is visible", async () => {
  const builtin = new BuiltinAnalyst();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let started = 0;
  const slow: Analyst = {
    name: "slow",
    analyse: async (input, sink, signal) => {
      started++;
      await gate;
      return builtin.analyse(input, sink, signal);
    },
  };
  const client = await start(slow);
  const ids = await storm(client, "slow", 20);
  const end = Date.now() + 30_000;
  while (started === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(started).toBeGreaterThan(0);
  // Past the fold window, while every started analysis still waits: those incidents are ANALYSING in the database.
  await new Promise((r) => setTimeout(r, 600));
  const mid = ((await client.request("GET", "/incidents?limit=500")).body as IncidentResult[]).filter((i) =>
    ids.includes(i.incident_id),
  );
  const analysing = mid.filter((i) => i.status === "ANALYSING");
  expect(analysing.length).toBeGreaterThanOrEqual(Math.min(started, 2));
  for (const i of analysing) expect(i.timeline.map((t) => t.status)).toContain("ANALYSING");
  release();
  const list = await settled(client, ids);
  for (const i of list) {
    expect(
      i.timeline.filter((t) => t.status === "ANALYSING"),
      i.incident_id,
    ).toHaveLength(1);
    expect(
      i.timeline.filter((t) => t.status === "AI_COMPLETE"),
      i.incident_id,
    ).toHaveLength(1);
  }
}, 120_000);
