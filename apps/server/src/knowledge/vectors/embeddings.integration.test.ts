import { rmSync } from "node:fs";
import { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/config.js";
import { startAegis } from "../../server/aegis-server.js";
import { createLogger } from "../../shared/logger.js";
import { type FakeEmbeddings, startFakeEmbeddings } from "../../testing/fake-embeddings-server.js";
import { prepareEnv, type TestEnv } from "../../testing/test-server.js";

/** Hybrid retrieval against a fake OpenAI-compatible /embeddings server, over real HTTP both ways. */

const CONCEPTS = [
  ["alertmanager", "notification", "notifications", "router", "routers", "relays"],
  ["crashlooping", "crashloop", "dying", "restarting", "restarts", "perishing"],
  ["etcd", "consensus", "raft"],
  ["leader", "coordinator"],
  ["filesystem", "disk", "partition"],
  ["full", "space"],
];

const RUNBOOKS = [
  {
    id: "alertmanager/AlertmanagerClusterCrashlooping",
    title: "Alertmanager Cluster Crashlooping",
    service: "alertmanager",
    body: "Half or more of the Alertmanager instances within the same cluster are crashlooping.",
  },
  {
    id: "etcd/etcdNoLeader",
    title: "etcd No Leader",
    service: "etcd",
    body: "The etcd member has no leader; the cluster cannot accept writes.",
  },
  {
    id: "node/NodeFilesystemAlmostOutOfSpace",
    title: "Node Filesystem Almost Out Of Space",
    service: "node",
    body: "The filesystem has less than 5% space left.",
  },
];

let fake: FakeEmbeddings;
let te: TestEnv;
let client: AegisClient;
let stopServer: () => Promise<void>;

async function start(): Promise<void> {
  const server = await startAegis(loadConfig(te.env), { logger: createLogger("silent"), drainMs: 2000 });
  client = new AegisClient(server.url, server.apiKey);
  stopServer = () => server.stop();
}

type Search = {
  results: { id: string; retrieved_by: string[]; confidence: string; score: number }[];
  no_good_match: boolean;
  retrieval: { mode: string; embedding_model: string | null; vector_error: string | null };
};
const search = async (query: string, extra: Record<string, unknown> = {}) =>
  (await client.request("POST", "/api/v1/runbooks/search", { query, ...extra })).body as unknown as Search;

/** Vectors are computed in the background after a write: wait until a query sees them. */
async function waitForVectors(query: string): Promise<Search> {
  const end = Date.now() + 10_000;
  for (;;) {
    const r = await search(query);
    if (r.retrieval.mode === "hybrid" || Date.now() > end) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

beforeAll(async () => {
  fake = await startFakeEmbeddings(CONCEPTS);
  te = await prepareEnv({
    AEGIS_DEMO_APP: "false",
    AEGIS_EMBEDDINGS_URL: fake.url,
    AEGIS_EMBEDDINGS_MODEL: "toy-embed-1",
    AEGIS_EMBEDDINGS_API_KEY: "sk-test-embeddings",
  });
  await start();
  for (const rb of RUNBOOKS) expect((await client.request("POST", "/api/v1/runbooks", rb)).status).toBe(201);
});
afterAll(async () => {
  await stopServer?.();
  await fake?.close();
  rmSync(te.dataDir, { recursive: true, force: true });
});

describe("embeddings over the OpenAI wire format", () => {
  it("finds a runbook that shares no word with the query, through its vector", async () => {
    const r = await waitForVectors("both relays perishing");
    expect(r.retrieval).toEqual({ mode: "hybrid", embedding_model: "toy-embed-1", vector_error: null });
    expect(r.results[0]).toMatchObject({
      id: "alertmanager/AlertmanagerClusterCrashlooping",
      retrieved_by: ["vector"],
    });
    expect(r.results[0]?.confidence).not.toBe("low");
    expect(r.no_good_match).toBe(false);
  });

  it("fuses both rankings and keeps the service filter", async () => {
    const r = await search("etcd has no coordinator");
    expect(r.results[0]).toMatchObject({ id: "etcd/etcdNoLeader", retrieved_by: ["lexical", "vector"] });
    // Only a vector can match this query in the node service: wait for that runbook's (computed in the background).
    const end = Date.now() + 10_000;
    let filtered = await search("etcd has no coordinator", { service: "node" });
    while (filtered.results.length === 0 && Date.now() < end) {
      await new Promise((res) => setTimeout(res, 50));
      filtered = await search("etcd has no coordinator", { service: "node" });
    }
    expect(filtered.results.map((x) => x.id)).toEqual(["node/NodeFilesystemAlmostOutOfSpace"]);
  });

  it("sends the model and key, batches documents and never re-embeds unchanged text", async () => {
    expect(fake.requests.every((q) => q.model === "toy-embed-1")).toBe(true);
    expect(fake.requests.every((q) => q.authorization === "Bearer sk-test-embeddings")).toBe(true);
    const docRequests = () => fake.requests.filter((q) => q.input.some((t) => t.includes("\n\n"))).length;
    const before = docRequests();
    expect(before).toBeGreaterThan(0);
    const rb = RUNBOOKS[1] as (typeof RUNBOOKS)[number];
    await client.request("PUT", `/api/v1/runbooks/${encodeURIComponent(rb.id)}`, rb); // same text
    await stopServer();
    await start(); // vectors come back from the store
    const r = await search("partition is full");
    expect(r.retrieval.mode).toBe("hybrid");
    expect(r.results[0]?.id).toBe("node/NodeFilesystemAlmostOutOfSpace");
    expect(docRequests()).toBe(before);
  });

  it("falls back to lexical results, and says why, when the provider fails", async () => {
    fake.failWhen = "raft";
    const r = await search("raft leader lost");
    expect(r.retrieval.mode).toBe("lexical");
    expect(r.retrieval.vector_error).toMatch(/500/);
    expect(r.results[0]?.id).toBe("etcd/etcdNoLeader");
    fake.failWhen = null;
  });

  it("embeds documents written later and forgets deleted ones", async () => {
    await client.request("POST", "/api/v1/runbooks", {
      id: "custom/RaftCoordinatorGone",
      title: "Consensus coordinator gone",
      service: "custom",
      body: "Our own raft service lost its coordinator.",
    });
    const end = Date.now() + 10_000;
    let r = await search("etcd leader");
    while (!r.results.some((x) => x.id === "custom/RaftCoordinatorGone" && x.retrieved_by.includes("vector"))) {
      if (Date.now() > end) throw new Error("new runbook never got a vector");
      await new Promise((res) => setTimeout(res, 50));
      r = await search("etcd leader");
    }
    await client.request("DELETE", `/api/v1/runbooks/${encodeURIComponent("custom/RaftCoordinatorGone")}`);
    expect((await search("etcd leader")).results.map((x) => x.id)).not.toContain("custom/RaftCoordinatorGone");
  });
});
