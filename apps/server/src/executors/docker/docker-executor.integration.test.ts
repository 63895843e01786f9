import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContainerMetrics, Topology } from "@aegis/contracts";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../../testing/free-ports.js";
import { demoContainer } from "./demo-container.js";
import { DockerExecutor } from "./docker-executor.js";
import { dockerAvailable, removeLabelled } from "./test-docker.js";

const available = await dockerAvailable();
const run = `it-${process.pid}-${Date.now().toString(36)}`;
const labels = { "aegis.test": run };
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const docker = new Docker({ socketPath: "/var/run/docker.sock" });

describe.skipIf(!available)("DockerExecutor on the real engine", () => {
  let ex: DockerExecutor;
  let dataDir: string;
  let lbPort: number;
  const name = `aegis-${run}`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "aegis-docker-"));
    [lbPort] = (await freePorts(1)) as [number];
    const spec = { ...demoContainer({ hostPort: 0, apiKey: "", memoryThresholdMb: 10_000 }), name };
    ex = new DockerExecutor({
      socketPath: "/var/run/docker.sock",
      network: `aegis-${run}`,
      targets: [],
      owned: [spec],
      nginx: { binary: "/usr/sbin/nginx", listenHost: "127.0.0.1", listenPort: lbPort },
      dataDir,
      logger: silent,
      maxReplicas: 3,
      stopGraceSecs: 1,
      labels,
    });
    await ex.start();
  }, 180_000);

  afterAll(async () => {
    await ex?.stop();
    await removeLabelled(docker, labels);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const viaLb = async (n: number) => {
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const r = await fetch(`http://127.0.0.1:${lbPort}/health`);
      expect(r.status).toBe(200);
      seen.add(((await r.json()) as { instance: string }).instance);
    }
    return seen;
  };

  it("lists the engine's containers with their real ids and reads their stats", async () => {
    const real = await docker.getContainer(name).inspect();
    const listed = (await ex.containers()).find((c) => c.name === name);
    expect(listed).toEqual({ name, status: "running", image: "aegisops/buggy-app:v2", id: real.Id.slice(0, 12) });
    const m = (await ex.metrics()).find((x) => x.name === name);
    expect(ContainerMetrics.parse(m)).toMatchObject({ name, status: "running", image: "aegisops/buggy-app:v2" });
    // A Node process uses tens of MB; the limit is the host's memory (no limit set on the container).
    expect(m?.memory_mb).toBeGreaterThan(5);
    expect(m?.memory_limit_mb).toBeGreaterThan(m?.memory_mb ?? 0);
    expect(m?.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(await ex.logs(name, 5)).toMatch(/"listening"/);
    const state = await ex.inspect(name);
    expect(state).toMatchObject({ target: name, id: real.Id, status: "running", exitCode: null, oomKilled: false });
  });

  it("SCALE_UP creates replicas on the target's network behind nginx; SCALE_DOWN removes them", async () => {
    const event = await ex.scaleUp(name, 2);
    expect(event).toMatchObject({
      container_base: name,
      replica_count: 2,
      replicas: [`${name}-replica-1`, `${name}-replica-2`],
      lb_configured: true,
    });
    const replica = await docker.getContainer(`${name}-replica-1`).inspect();
    expect(Object.keys(replica.NetworkSettings.Networks)).toEqual([`aegis-${run}`]);
    expect(replica.Config.Image).toBe("aegisops/buggy-app:v2");
    expect(await viaLb(12)).toEqual(new Set([name, `${name}-replica-1`, `${name}-replica-2`]));
    expect(readConf(dataDir)).toMatch(/# aegis-it-.*-replica-2/);

    const topo = Topology.parse(await ex.topology());
    expect(topo.nodes.filter((n) => n.type === "replica").map((n) => n.id)).toEqual(event.replicas);
    expect(topo.edges).toContainEqual({ from: "aegis-lb", to: `${name}-replica-2`, label: "routes" });
    expect(topo.edges).toContainEqual({ from: "aegis-agent", to: `${name}-replica-1`, label: "spawned" });
    await expect(ex.scaleUp(name, 4)).rejects.toThrow(/between 0 and 3/);

    expect(await ex.scaleDown(name)).toEqual({ removed: event.replicas });
    expect(await viaLb(4)).toEqual(new Set([name]));
    await expect(docker.getContainer(`${name}-replica-1`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("RESTART restarts the same container; ROLLBACK recreates it from the previously recorded image", async () => {
    const before = await docker.getContainer(name).inspect();
    await ex.restart(name);
    const after = await docker.getContainer(name).inspect();
    expect(after.Id).toBe(before.Id);
    expect(after.State.StartedAt).not.toBe(before.State.StartedAt);
    expect((await ex.probe(name, 2000)).healthy).toBe(true);
    // The engine's own record of it, for evidence: the old process died, the container started again.
    const events = (await ex.events(name, 120)).map((e) => e.action);
    expect(events).toEqual(expect.arrayContaining(["die", "start", "restart"]));
    expect(events.lastIndexOf("die")).toBeLessThan(events.lastIndexOf("restart"));

    expect(ex.canRollback(name)).toBe(true);
    const rb = await ex.rollback(name);
    expect(rb).toEqual({
      target: name,
      fromVersion: "aegisops/buggy-app:v2",
      toVersion: "aegisops/buggy-app:v1",
      status: "running",
    });
    const body = (await (await fetch(`http://127.0.0.1:${lbPort}/health`)).json()) as { version: string };
    expect(body.version).toBe("v1");
    // The deploy we left is now the one to return to.
    expect((await ex.rollback(name)).toVersion).toBe("aegisops/buggy-app:v2");
  });

  it("a container removed during a restart fails the action with the engine's reason", async () => {
    // A slow request in flight holds the app's shutdown for its 2 s grace: the restart is mid-way.
    void fetch(`http://127.0.0.1:${lbPort}/trigger_db_latency`).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const restarting = ex.restart(name).then(
      () => null,
      (err: Error) => err.message,
    );
    await new Promise((r) => setTimeout(r, 300));
    await docker.getContainer(name).remove({ force: true });
    expect(await restarting).toMatch(new RegExp(`^container ${name} was removed during RESTART`));
    expect((await ex.probe(name, 1000)).detail).toMatch(/no longer exists/);
  });
});

function readConf(dir: string): string {
  const file = join(dir, "nginx", "nginx.conf");
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}
