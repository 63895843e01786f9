import type { Topology } from "@aegis/contracts";
import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prepareEnv, startInProcess, type TestEnv } from "../testing/test-server.js";

let te: TestEnv;
let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  te = await prepareEnv();
  ({ client, stop } = await startInProcess(te));
});
afterAll(async () => stop?.());

const iso = (ms: number) => new Date(ms).toISOString();
const demoHealth = async () =>
  (await (await fetch(`http://127.0.0.1:${te.ports.demo}/health`)).json()) as { version: string };

it("a traffic surge is remediated by SCALE_UP: replicas behind the load balancer, then RESOLVED", async () => {
  const now = Date.now();
  await client.request("POST", "/webhook", {
    incident_id: "surge-1",
    alert_type: "Latency SLO burn",
    logs: [0, 1, 2]
      .map(
        (i) =>
          `${iso(now - (3 - i) * 60_000)} WARN [buggy-app-v2] request queue depth ${200 + i * 150}, p99 ${900 + i * 300}ms, all workers busy`,
      )
      .join("\n"),
    container_name: "buggy-app-v2",
    timestamp: iso(now),
    context: {
      service: "buggy-app-v2",
      replicas: 1,
      recent_deploys: [{ version: "v2", previous: "v1", at: iso(now - 9 * 86_400_000) }],
      metrics: { cpu_percent: 93, memory_percent: 41, rps: 1450, p99_ms: 1900, error_rate: 0.01 },
      baseline: { rps: 420, p99_ms: 210 },
    },
  });
  const done = await client.waitFor("surge-1", (i) => i.status === "RESOLVED" || i.status === "FAILED", 60_000);
  expect(done.status, done.error ?? "").toBe("RESOLVED");
  expect(done.analysis?.action).toBe("SCALE_UP");
  expect(done.replicas_spawned).toBe(done.analysis?.replica_count);
  expect(done.replicas_spawned).toBeGreaterThan(0);
  expect(done.replicas_spawned).toBeLessThanOrEqual(5);
  expect(done.timeline.map((t) => t.status)).toEqual(
    expect.arrayContaining(["SCALING", "SCALED", "VERIFYING", "RESOLVED"]),
  );
  const topo = (await client.request("GET", "/topology")).body as unknown as Topology;
  expect(topo.nodes.filter((n) => n.type === "replica")).toHaveLength(done.replicas_spawned);
  await client.request("POST", "/scale/down");
});

it("a bad deploy is remediated by ROLLBACK to the declared previous version", async () => {
  expect((await demoHealth()).version).toBe("v2");
  const now = Date.now();
  await client.request("POST", "/webhook", {
    incident_id: "deploy-1",
    alert_type: "HTTP 5xx ratio",
    logs: [0, 1, 2, 3, 4]
      .map(
        (i) =>
          `${iso(now - (5 - i) * 60_000)} ERROR [buggy-app-v2] GET /checkout 500 TypeError: Cannot read properties of undefined (reading 'currency') at priceCart (/app/cart.js:41)`,
      )
      .join("\n"),
    container_name: "buggy-app-v2",
    timestamp: iso(now),
    context: {
      service: "buggy-app-v2",
      replicas: 1,
      recent_deploys: [{ version: "v2", previous: "v1", at: iso(now - 8 * 60_000), change: "new pricing module" }],
      metrics: { error_rate: 0.34, rps: 120, p99_ms: 300 },
      baseline: { rps: 118, p99_ms: 180, error_rate: 0.002 },
    },
  });
  const done = await client.waitFor("deploy-1", (i) => i.status === "RESOLVED" || i.status === "FAILED", 60_000);
  expect(done.status, done.error ?? "").toBe("RESOLVED");
  expect(done.analysis?.action).toBe("ROLLBACK");
  expect(done.timeline.find((t) => t.status === "ROLLED_BACK")?.message).toContain("from v2 to v1");
  expect((await demoHealth()).version).toBe("v1");
});
