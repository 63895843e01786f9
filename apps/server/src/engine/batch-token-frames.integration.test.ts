import { WsFrame } from "@aegis/contracts";
import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { postDryRunStorm } from "../testing/dry-run-storm.js";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ client, stop } = await startInProcess(await prepareEnv({ AEGIS_DEMO_APP: "false", PIPELINE_BATCH_SIZE: "16" })));
});
afterAll(async () => stop?.());

it("a storm batch sends an analyst's tokens emitted together as one ai.stream frame, on the same wire", async () => {
  const sock = await client.socket();
  const run = Date.now().toString(36);
  const ids = Array.from({ length: 48 }, (_, k) => `tokens-${run}-${k}`);
  for (const status of await postDryRunStorm(client, ids)) expect(status).toBe(200);
  // Every diagnosis is out (ai.complete follows its commit); what comes after is not this test's.
  const end = Date.now() + 60_000;
  const completed = () => new Set(sock.frames.filter((f) => f.type === "ai.complete").map((f) => f.incident_id));
  while (Date.now() < end && !ids.every((id) => completed().has(id))) await new Promise((r) => setTimeout(r, 100));
  expect(ids.filter((id) => !completed().has(id))).toEqual([]);

  let whole = 0;
  for (const id of ids) {
    const stream = sock.frames.filter((f) => f.type === "ai.stream" && f.incident_id === id);
    expect(stream.length, id).toBeGreaterThan(0);
    for (const f of stream) expect(WsFrame.safeParse(f).error).toBeUndefined();
    const chunks = stream.map((f) => (f.data as { chunk: string }).chunk);
    // full_text is the text so far at every frame, and the last one is the whole text.
    let sofar = "";
    for (const [n, f] of stream.entries()) {
      sofar += chunks[n];
      expect((f.data as { full_text: string }).full_text).toBe(sofar);
    }
    expect(sofar.split(/\s+/).filter(Boolean).length, id).toBeGreaterThan(3);
    // The frame before the analysis completed held every word at once (the batch), not one word each.
    if (stream.length === 1) whole++;
    const complete = sock.frames.findIndex((f) => f.type === "ai.complete" && f.incident_id === id);
    expect(sock.frames.indexOf(stream.at(-1) as WsFrame), id).toBeLessThan(complete);
  }
  // Incidents claimed in a batch: one frame each; a job claimed alone streams word by word as before.
  expect(whole).toBeGreaterThan(ids.length / 2);
}, 120_000);
