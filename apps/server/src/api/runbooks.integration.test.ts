import { rmSync } from "node:fs";
import { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { startAegis } from "../server/aegis-server.js";
import { createLogger } from "../shared/logger.js";
import { prepareEnv, type TestEnv } from "../testing/test-server.js";

/** Runbook CRUD, search and the seed 003 knowledge base over real HTTP, on PGlite. */

const RUNBOOKS = [
  {
    id: "kubernetes/KubePodCrashLooping",
    title: "Kube Pod Crash Looping",
    service: "kubernetes",
    body: "# KubePodCrashLooping\n\n## Meaning\n\nPod is in CrashLoopBackOff state: the container keeps restarting.\n\n## Mitigation\n\nCheck the logs of the previous container (`kubectl logs --previous`) and fix the crash.",
    tags: ["pods"],
  },
  {
    id: "node/NodeFilesystemSpaceFillingUp",
    title: "Node Filesystem Space Filling Up",
    service: "node",
    body: "# NodeFilesystemSpaceFillingUp\n\n## Meaning\n\nThe filesystem is predicted to run out of space within 24 hours.\n\n## Mitigation\n\nRemove old logs and images, or grow the volume.",
  },
  {
    id: "etcd/etcdNoLeader",
    title: "etcd No Leader",
    service: "etcd",
    body: "# etcdNoLeader\n\n## Meaning\n\nThe etcd member has no leader. Without a leader the cluster cannot accept writes.\n\n## Diagnosis\n\nCheck network connectivity between the etcd members and the raft term.",
  },
  {
    id: "prometheus/PrometheusBadConfig",
    title: "Prometheus Bad Config",
    service: "prometheus",
    body: "# PrometheusBadConfig\n\n## Meaning\n\nPrometheus failed to reload its configuration file.\n\n## Mitigation\n\nValidate the configuration with promtool check config.",
    url: "https://runbooks.example.com/prometheus/PrometheusBadConfig",
  },
];

let te: TestEnv;
let client: AegisClient;
let stopServer: () => Promise<void>;

async function start(): Promise<void> {
  const server = await startAegis(loadConfig(te.env), { logger: createLogger("silent"), drainMs: 2000 });
  client = new AegisClient(server.url, server.apiKey);
  stopServer = () => server.stop();
}

beforeAll(async () => {
  te = await prepareEnv({ AEGIS_DEMO_APP: "false" });
  await start();
  for (const rb of RUNBOOKS) expect((await client.request("POST", "/api/v1/runbooks", rb)).status).toBe(201);
});
afterAll(async () => {
  await stopServer?.();
  rmSync(te.dataDir, { recursive: true, force: true });
});

const enc = encodeURIComponent;

describe("runbook CRUD", () => {
  it("creates with a generated id and returns the stored document", async () => {
    const r = await client.request("POST", "/api/v1/runbooks", {
      title: "Redis evictions",
      service: "cache",
      body: "Redis evicts keys under memory pressure.",
      tags: ["redis", "redis", " memory "],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ title: "Redis evictions", service: "cache", url: null, tags: ["redis", "memory"] });
    expect(String(r.body.id)).toMatch(/^rb_[0-9a-f]{16}$/);
    expect(Number.isNaN(Date.parse(String(r.body.last_updated)))).toBe(false);
    const got = await client.request("GET", `/api/v1/runbooks/${r.body.id}`);
    expect(got.body).toEqual(r.body);
    expect((await client.request("DELETE", `/api/v1/runbooks/${r.body.id}`)).status).toBe(204);
    expect((await client.request("GET", `/api/v1/runbooks/${r.body.id}`)).status).toBe(404);
    expect((await client.request("DELETE", `/api/v1/runbooks/${r.body.id}`)).status).toBe(404);
  });

  it("reads ids that contain a slash (URL-encoded)", async () => {
    const r = await client.request("GET", `/api/v1/runbooks/${enc("etcd/etcdNoLeader")}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: "etcd/etcdNoLeader", service: "etcd" });
  });

  it("refuses a second POST of an id with 409, PUT replaces (200) or creates (201)", async () => {
    const rb = RUNBOOKS[0] as (typeof RUNBOOKS)[number];
    expect((await client.request("POST", "/api/v1/runbooks", rb)).status).toBe(409);
    const before = await client.request("GET", `/api/v1/runbooks/${enc(rb.id)}`);
    const replaced = await client.request("PUT", `/api/v1/runbooks/${enc(rb.id)}`, {
      ...rb,
      tags: ["pods", "restarts"],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.tags).toEqual(["pods", "restarts"]);
    expect(replaced.body.created_at).toBe(before.body.created_at);
    expect(Date.parse(String(replaced.body.last_updated))).toBeGreaterThanOrEqual(
      Date.parse(String(before.body.last_updated)),
    );
    const created = await client.request("PUT", "/api/v1/runbooks/tmp-put", {
      title: "Temporary",
      service: "x",
      body: "temporary runbook",
    });
    expect(created.status).toBe(201);
    expect((await client.request("DELETE", "/api/v1/runbooks/tmp-put")).status).toBe(204);
  });

  it("answers 422 naming the field (the seed 001 search: 400 in its envelope)", async () => {
    const cases: [string, string, unknown, (string | number)[]][] = [
      ["POST", "/api/v1/runbooks", { service: "x", body: "b" }, ["body", "title"]],
      ["POST", "/api/v1/runbooks", { title: "t", service: "", body: "b" }, ["body", "service"]],
      ["POST", "/api/v1/runbooks", { title: "t", service: "x", body: "b", url: "not a url" }, ["body", "url"]],
      ["POST", "/api/v1/runbooks", { title: "t", service: "x", body: "b", tags: "x" }, ["body", "tags"]],
      ["PUT", "/api/v1/runbooks/a", { id: "b", title: "t", service: "x", body: "b" }, ["body", "id"]],
    ];
    for (const [method, path, body, loc] of cases) {
      const r = await client.request(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(422);
      expect(r.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc })]));
    }
    // The search is seed 001's: its 400 INVALID_REQUEST naming the field.
    for (const [body, field] of [
      [{ query: "disk", top_k: 21 }, "top_k"],
      [{ top_k: 3 }, "query"],
    ] as const) {
      const r = await client.request("POST", "/api/v1/runbooks/search", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatchObject({ code: "INVALID_REQUEST", details: { field } });
    }
    const page = await client.request("GET", "/api/v1/runbooks?page_size=500");
    expect(page.status).toBe(422);
  });

  it("lists in id order, paginated and filtered by service", async () => {
    const p1 = await client.request("GET", "/api/v1/runbooks?page=1&page_size=3");
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ total: 4, page: 1, page_size: 3, has_next: true });
    const ids = (p1.body.items as { id: string }[]).map((i) => i.id);
    expect(ids).toEqual([...ids].sort());
    const p2 = await client.request("GET", "/api/v1/runbooks?page=2&page_size=3");
    expect(p2.body).toMatchObject({ total: 4, has_next: false });
    expect(p2.body.items).toHaveLength(1);
    const etcd = await client.request("GET", "/api/v1/runbooks?service=etcd");
    expect((etcd.body.items as { id: string }[]).map((i) => i.id)).toEqual(["etcd/etcdNoLeader"]);
  });
});

describe("POST /api/v1/runbooks/search", () => {
  it("finds the runbook for a reworded alert, with seed 001 fields and a highlighted excerpt", async () => {
    const r = await client.request("POST", "/api/v1/runbooks/search", {
      query: "checkout container keeps restarting over and over",
      top_k: 3,
    });
    expect(r.status).toBe(200);
    const results = r.body.results as Record<string, unknown>[];
    expect(results[0]).toMatchObject({ id: "kubernetes/KubePodCrashLooping", service: "kubernetes", url: null });
    for (const k of ["title", "score", "excerpt", "last_updated", "confidence"]) expect(results[0]).toHaveProperty(k);
    expect(String(results[0]?.excerpt)).toContain("**");
    expect(results.length).toBeLessThanOrEqual(3);
    expect(r.body.total_results).toBe(results.length);
    expect(typeof r.body.query_time_ms).toBe("number");
    expect(r.body.no_good_match).toBe(false);
    expect(r.body.retrieval).toEqual({ mode: "lexical", embedding_model: null, vector_error: null });
  });

  it("filters by service and defaults top_k to 5", async () => {
    const r = await client.request("POST", "/api/v1/runbooks/search", { query: "leader disk config", service: "ETCD" });
    expect((r.body.results as { id: string }[]).map((x) => x.id)).toEqual(["etcd/etcdNoLeader"]);
    const all = await client.request("POST", "/api/v1/runbooks/search", { query: "the meaning of mitigation check" });
    expect((all.body.results as unknown[]).length).toBeLessThanOrEqual(5);
  });

  it("says no good match for an alert without a runbook", async () => {
    const r = await client.request("POST", "/api/v1/runbooks/search", {
      query: "RabbitMQ queue has too many unacknowledged messages on the billing vhost",
    });
    expect(r.status).toBe(200);
    expect(r.body.no_good_match).toBe(true);
    for (const x of r.body.results as { confidence: string }[]) expect(x.confidence).toBe("low");
  });

  it("keeps the index in step with updates and deletes", async () => {
    const id = "custom/KafkaConsumerLag";
    await client.request("PUT", `/api/v1/runbooks/${enc(id)}`, {
      title: "Kafka consumer lag",
      service: "kafka",
      body: "Consumers fall behind the topic; scale the consumer group.",
    });
    const search = async (q: string) =>
      ((await client.request("POST", "/api/v1/runbooks/search", { query: q })).body.results as { id: string }[]).map(
        (x) => x.id,
      );
    expect((await search("kafka consumers falling behind"))[0]).toBe(id);
    await client.request("PUT", `/api/v1/runbooks/${enc(id)}`, {
      title: "Zookeeper session expired",
      service: "kafka",
      body: "Brokers lose their zookeeper session.",
    });
    expect(await search("consumer group lag")).not.toContain(id);
    expect((await search("zookeeper session expired"))[0]).toBe(id);
    await client.request("DELETE", `/api/v1/runbooks/${enc(id)}`);
    expect(await search("zookeeper session expired")).not.toContain(id);
  });
});

describe("GET /api/v1/agent/knowledge-base", () => {
  it("searches the knowledge base in seed 003's envelope", async () => {
    const r = await client.request(
      "GET",
      `/api/v1/agent/knowledge-base?query=${enc("filesystem running out of space")}&limit=2`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      success: true,
      data: { query: "filesystem running out of space", no_good_match: false },
    });
    const data = r.body.data as { items: Record<string, unknown>[]; total: number };
    expect(data.items[0]).toMatchObject({ kind: "runbook", id: "node/NodeFilesystemSpaceFillingUp", action: null });
    expect(data.items.length).toBeLessThanOrEqual(2);
    expect(data.total).toBe(data.items.length);
  });

  it("browses without a query and validates limit", async () => {
    const r = await client.request("GET", "/api/v1/agent/knowledge-base?limit=3");
    expect(r.status).toBe(200);
    const items = (r.body.data as { items: { score: unknown }[] }).items;
    expect(items).toHaveLength(3);
    expect(items[0]?.score).toBeNull();
    expect((await client.request("GET", "/api/v1/agent/knowledge-base?limit=0")).status).toBe(422);
  });
});

describe("restart", () => {
  it("loads the index from the store at start", async () => {
    await stopServer();
    await start();
    const r = await client.request("POST", "/api/v1/runbooks/search", { query: "etcd cluster lost its leader" });
    expect((r.body.results as { id: string }[])[0]?.id).toBe("etcd/etcdNoLeader");
    expect((await client.request("GET", "/api/v1/runbooks")).body.total).toBe(4);
  });

  it("requires the API key", async () => {
    const r = await fetch(`${client.url}/api/v1/runbooks/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "x" }),
    });
    expect(r.status).toBe(401);
  });
});
