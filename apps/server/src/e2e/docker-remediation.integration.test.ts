import { type ContainerInfo, type ContainerMetrics, type ScaleEvent, Topology, WsFrame } from "@aegis/contracts";
import type { AegisClient } from "@aegis/sdk";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerAvailable, removeLabelled } from "../executors/docker/test-docker.js";
import { prepareEnv, startInProcess, type TestEnv } from "../testing/test-server.js";

// One server for the whole file: the demo container's name (buggy-app-v2) is the seed's, so the
// scenarios run one after the other rather than in parallel files.
const available = await dockerAvailable();
const docker = new Docker({ socketPath: "/var/run/docker.sock" });
const network = `aegis-e2e-${process.pid}`;

describe.skipIf(!available)("seed 000 walkthrough on AEGIS_EXECUTOR=docker", () => {
  let te: TestEnv;
  let client: AegisClient;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    await removeLabelled(docker, { "aegis.demo": "buggy-app-v2" });
    te = await prepareEnv({
      AEGIS_EXECUTOR: "docker",
      AEGIS_DOCKER_NETWORK: network,
      DEMO_MEMORY_THRESHOLD_MB: "150",
      METRICS_INTERVAL_SECS: "0.5",
    });
    ({ client, stop } = await startInProcess(te));
  }, 180_000);

  afterAll(async () => {
    await stop?.();
    // stop() removes the demo container, its replicas and the network it created; this is the safety net.
    const left = await docker.listContainers({ all: true, filters: { label: ["aegis.demo=buggy-app-v2"] } });
    await removeLabelled(docker, { "aegis.demo": "buggy-app-v2" });
    await docker
      .getNetwork(network)
      .remove()
      .catch(() => undefined);
    expect(left.map((c) => c.Names)).toEqual([]);
  });

  const demoMemory = async () => {
    const m = (await client.request("GET", "/metrics")).body as unknown as ContainerMetrics[];
    return m.find((x) => x.name === "buggy-app-v2")?.memory_mb ?? 0;
  };

  it("memory leak in the container → watchdog webhook → RESTART of that container → RESOLVED", async () => {
    const real = await docker.getContainer("buggy-app-v2").inspect();
    const listed = ((await client.request("GET", "/containers")).body as unknown as ContainerInfo[]).find(
      (c) => c.name === "buggy-app-v2",
    );
    expect(listed).toEqual({
      name: "buggy-app-v2",
      status: "running",
      image: "aegisops/buggy-app:v2",
      id: real.Id.slice(0, 12),
    });
    const sock = await client.socket();
    const before = await demoMemory();

    // Leak through nginx until the app's watchdog, inside the container, posts its webhook (relayed by nginx).
    for (let i = 0; i < 80 && !sock.frames.some((f) => f.type === "incident.new"); i++) {
      const r = await fetch(`http://127.0.0.1:${te.ports.lb}/trigger_memory`);
      if (r.status === 502 && sock.frames.some((f) => f.type === "incident.new")) break;
      expect(r.status).toBe(200);
      await new Promise((r) => setTimeout(r, 250));
    }
    const first = await sock.waitFor((f) => f.type === "incident.new", 15_000);
    const id = first.incident_id as string;
    const peak = () =>
      Math.max(
        ...sock.frames
          .filter((f) => f.type === "metrics")
          .flatMap((f) =>
            (f.data as ContainerMetrics[]).filter((m) => m.name === "buggy-app-v2").map((m) => m.memory_mb),
          ),
      );
    const done = await client.waitFor(id, (i) => i.status === "RESOLVED" || i.status === "FAILED", 60_000);
    expect(done.status, done.error ?? "").toBe("RESOLVED");
    expect(done.container_name).toBe("buggy-app-v2");
    expect(done.analysis?.action).toBe("RESTART");
    expect(done.timeline.map((t) => t.status)).toEqual(
      expect.arrayContaining(["EXECUTING", "RESTARTED", "VERIFYING", "RESOLVED"]),
    );
    // The same container (same engine id) was restarted, and its memory fell back.
    const after = await docker.getContainer("buggy-app-v2").inspect();
    expect(after.Id).toBe(real.Id);
    expect(after.State.StartedAt).not.toBe(real.State.StartedAt);
    const leaked = peak();
    expect(leaked).toBeGreaterThan(before + 50);
    await sock.waitFor(
      (f) =>
        f.type === "metrics" &&
        (f.data as ContainerMetrics[]).some((m) => m.name === "buggy-app-v2" && m.memory_mb < leaked - 50),
      10_000,
    );
    expect(await demoMemory()).toBeLessThan(leaked - 50);
    for (const f of sock.frames) expect(WsFrame.safeParse(f).error).toBeUndefined();
    sock.ws.close();
  });

  it("SCALE_UP → replicas serve through nginx; SCALE_DOWN removes them", async () => {
    const up = await client.request("POST", "/scale/up?count=2");
    expect(up.status).toBe(200);
    const event = up.body as unknown as ScaleEvent;
    expect(event).toMatchObject({
      container_base: "buggy-app-v2",
      replica_count: 2,
      replicas: ["buggy-app-v2-replica-1", "buggy-app-v2-replica-2"],
      lb_configured: true,
    });
    const seen = new Set<string>();
    for (let i = 0; i < 15; i++) {
      const r = await fetch(`http://127.0.0.1:${te.ports.lb}/health`);
      expect(r.status).toBe(200);
      seen.add(((await r.json()) as { instance: string }).instance);
    }
    expect(seen).toEqual(new Set(["buggy-app-v2", ...event.replicas]));
    const topo = Topology.parse((await client.request("GET", "/topology")).body);
    expect(topo.nodes.filter((n) => n.type === "replica").map((n) => n.id)).toEqual(event.replicas);
    expect(topo.nodes.map((n) => n.type)).toEqual(expect.arrayContaining(["agent", "app", "loadbalancer"]));

    const down = await client.request("POST", "/scale/down");
    expect(down.status).toBe(200);
    expect((down.body as unknown as { removed: string[] }).removed).toEqual(event.replicas);
    const names = ((await client.request("GET", "/containers")).body as unknown as ContainerInfo[]).map((c) => c.name);
    expect(names).not.toContain("buggy-app-v2-replica-1");
    const r = await fetch(`http://127.0.0.1:${te.ports.lb}/health`);
    expect(((await r.json()) as { instance: string }).instance).toBe("buggy-app-v2");
    // The base container also answers on its published port (the seed's `curl localhost:8000/...`).
    const direct = await fetch(`http://127.0.0.1:${te.ports.demo}/health`);
    expect(((await direct.json()) as { instance: string }).instance).toBe("buggy-app-v2");
  });

  it("a container that dies mid-action → FAILED, the timeline says why", async () => {
    const sock = await client.socket();
    // A slow request in flight holds the app's shutdown for its grace period: the restart is mid-way.
    void fetch(`http://127.0.0.1:${te.ports.lb}/trigger_db_latency`).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const id = `docker-dies-${Date.now()}`;
    await client.request("POST", "/webhook", {
      incident_id: id,
      alert_type: "Memory Leak",
      logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request; heap used 1900MB of 2048MB; traffic flat",
      container_name: "buggy-app-v2",
      severity: "CRITICAL",
    });
    await sock
      .waitFor((f) => f.type === "docker.action" && f.incident_id === id, 30_000)
      .catch(async (err) => {
        console.log(JSON.stringify((await client.request("GET", `/incidents/${id}`)).body, null, 1));
        throw err;
      });
    await docker.getContainer("buggy-app-v2").remove({ force: true });
    const done = await client.waitFor(id, (i) => i.status === "RESOLVED" || i.status === "FAILED", 60_000);
    expect(done.status).toBe("FAILED");
    expect(done.error ?? "").toMatch(/buggy-app-v2 (was removed during RESTART|no longer exists)/);
    sock.ws.close();
  });
});
