import { type ContainerInfo, type ScaleEvent, type Topology, WsFrame } from "@aegis/contracts";
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

it("manual scale up and down is reflected in the load balancer, /containers and /topology", async () => {
  const sock = await client.socket();
  const up = await client.request("POST", "/scale/up?count=3");
  expect(up.status).toBe(200);
  const event = up.body as unknown as ScaleEvent;
  expect(event).toMatchObject({
    container_base: "buggy-app-v2",
    replica_count: 3,
    replicas: ["buggy-app-v2-replica-1", "buggy-app-v2-replica-2", "buggy-app-v2-replica-3"],
    lb_configured: true,
  });
  await sock.waitFor((f) => f.type === "scale.event");

  const topo = (await client.request("GET", "/topology")).body as unknown as Topology;
  const replicas = topo.nodes.filter((n) => n.type === "replica").map((n) => n.id);
  expect(replicas.sort()).toEqual(event.replicas);
  expect(topo.nodes.some((n) => n.type === "loadbalancer")).toBe(true);
  expect(topo.edges).toEqual(
    expect.arrayContaining([{ from: "aegis-agent", to: "buggy-app-v2-replica-1", label: "spawned" }]),
  );

  const names = ((await client.request("GET", "/containers")).body as unknown as ContainerInfo[]).map((c) => c.name);
  expect(names).toEqual(expect.arrayContaining(["buggy-app-v2", ...event.replicas]));

  // The load balancer spreads requests over the base and its replicas.
  const seen = new Set<string>();
  for (let i = 0; i < 24; i++) {
    const r = await fetch(`http://127.0.0.1:${te.ports.lb}/health`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    seen.add(String(body.instance ?? body.name ?? body.pid));
  }
  expect(seen.size).toBe(4);

  const down = await client.request("POST", "/scale/down");
  expect(down.status).toBe(200);
  expect((down.body as unknown as { removed: string[] }).removed.sort()).toEqual(event.replicas);
  const after = (await client.request("GET", "/topology")).body as unknown as Topology;
  expect(after.nodes.filter((n) => n.type === "replica")).toEqual([]);
  const single = new Set<string>();
  for (let i = 0; i < 8; i++) {
    const body = (await (await fetch(`http://127.0.0.1:${te.ports.lb}/health`)).json()) as Record<string, unknown>;
    single.add(String(body.instance ?? body.name ?? body.pid));
  }
  expect(single.size).toBe(1);
  // Both directions' scale.event frames match the contract's schema.
  await sock.waitFor((f) => f.type === "scale.event" && f.data.event.removed !== undefined);
  const scaled = sock.frames.filter((f) => f.type === "scale.event");
  expect(scaled.map((f) => f.data.event.removed?.sort())).toEqual([undefined, event.replicas]);
  for (const f of sock.frames) expect(WsFrame.safeParse(f).error).toBeUndefined();
  sock.ws.close();
});
