import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConflictError, InputError, NotFoundError } from "../../shared/errors.js";
import { demoServices } from "./demo-services.js";
import { freePort } from "./free-port.js";
import { LocalExecutor } from "./local-executor.js";
import type { ExecutorLogger, ServiceSpec } from "./local-executor-options.js";

// Spawns the compiled buggy app (apps/buggy-app/dist/main.js): build before running.

const APP = "buggy-app-v2";

function recordingLogger(): ExecutorLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => {}, warn: (_f, msg) => warnings.push(msg), error: (_f, msg) => warnings.push(msg) };
}

async function demoExecutor(overrides: Partial<ServiceSpec> = {}) {
  const logger = recordingLogger();
  const [spec] = demoServices({ port: await freePort(), webhookUrl: "", apiKey: "", memoryThresholdMb: 100_000 });
  const executor = new LocalExecutor({
    services: [{ ...(spec as ServiceSpec), ...overrides }],
    lbPort: 0,
    logger,
    gracefulStopMs: 2000,
    healthCheckIntervalMs: 200,
  });
  return { executor, logger };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function metricOf(executor: LocalExecutor, name: string) {
  const entry = (await executor.metrics()).find((m) => m.name === name);
  if (!entry) throw new Error(`no metrics for ${name}`);
  return entry;
}

describe("LocalExecutor with the buggy app", () => {
  let executor: LocalExecutor;
  let logger: ReturnType<typeof recordingLogger>;
  let lb: string;

  beforeAll(async () => {
    ({ executor, logger } = await demoExecutor());
    await executor.start();
    lb = `http://127.0.0.1:${executor.lbAddress()?.port}`;
  });
  afterAll(async () => {
    await executor?.stop();
  });

  it("serves /health through the load balancer", async () => {
    const { status, body } = await getJson(`${lb}/health`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", version: "v2", instance: APP });
    expect(executor.targets()).toEqual([APP]);
    expect(executor.has(APP)).toBe(true);
    expect(executor.has("nope")).toBe(false);
  });

  it("lists containers, topology and metrics like the seed", async () => {
    const containers = await executor.containers();
    expect(containers.map((c) => c.name)).toEqual([APP, "aegis-agent", "aegis-lb"]);
    expect(containers[0]).toMatchObject({ status: "running", image: "local/buggy-app:v2" });
    const topology = await executor.topology();
    expect(topology.nodes.map((n) => [n.id, n.type])).toEqual([
      ["aegis-agent", "agent"],
      [APP, "app"],
      ["aegis-lb", "loadbalancer"],
    ]);
    expect(topology.edges).toEqual([
      { from: "aegis-agent", to: APP, label: "monitors" },
      { from: "aegis-lb", to: APP, label: "routes" },
    ]);
    const app = await metricOf(executor, APP);
    expect(app.memory_mb).toBeGreaterThan(10);
    expect(app.memory_limit_mb).toBeGreaterThan(app.memory_mb);
    expect(app.net_rx_bytes).toBeGreaterThan(0);
    expect(app.net_tx_bytes).toBeGreaterThan(0);
    expect((await metricOf(executor, "aegis-agent")).memory_mb).toBeGreaterThan(10);
    expect((await metricOf(executor, "aegis-lb")).net_tx_bytes).toBeGreaterThan(0);
  });

  it("sees a memory leak in metrics and clears it with a restart that changes the pid", async () => {
    const before = await metricOf(executor, APP);
    const pidBefore = (await getJson(`${lb}/health`)).body.pid;
    for (let i = 0; i < 6; i++) expect((await getJson(`${lb}/trigger_memory`)).status).toBe(200);
    const leaked = await metricOf(executor, APP);
    expect(leaked.memory_mb).toBeGreaterThan(before.memory_mb + 45);

    expect(await executor.restart(APP)).toEqual({ target: APP, status: "running" });
    const after = await metricOf(executor, APP);
    expect(after.memory_mb).toBeLessThan(leaked.memory_mb - 40);
    const health = await getJson(`${lb}/health`);
    expect(health.status).toBe(200);
    expect(health.body.pid).not.toBe(pidBefore);
    expect(logger.warnings).not.toContain("process exited unexpectedly");
  });

  it("reports a CPU spike as cpu_percent", async () => {
    // Two burner threads and loose bounds: other suites may be competing for the same cores.
    await getJson(`${lb}/trigger_cpu`);
    await getJson(`${lb}/trigger_cpu`);
    await metricOf(executor, APP);
    await sleep(1000);
    const busy = (await metricOf(executor, APP)).cpu_percent;
    expect(busy).toBeGreaterThan(25);
    await executor.restart(APP);
    await metricOf(executor, APP);
    await sleep(500);
    expect((await metricOf(executor, APP)).cpu_percent).toBeLessThan(Math.min(15, busy));
  });

  it("scales up: the load balancer spreads requests over base and replicas", async () => {
    const event = await executor.scaleUp(APP, 2);
    expect(event).toMatchObject({
      container_base: APP,
      replica_count: 2,
      replicas: [`${APP}-replica-1`, `${APP}-replica-2`],
      lb_configured: true,
    });
    expect(executor.replicaCount(APP)).toBe(2);
    const instances = new Set<unknown>();
    const pids = new Set<unknown>();
    for (let i = 0; i < 12; i++) {
      const { body } = await getJson(`${lb}/health`);
      instances.add(body.instance);
      pids.add(body.pid);
    }
    expect(instances).toEqual(new Set([APP, `${APP}-replica-1`, `${APP}-replica-2`]));
    expect(pids.size).toBe(3);

    const topology = await executor.topology();
    expect(topology.nodes.filter((n) => n.type === "replica").map((n) => n.id)).toEqual(event.replicas);
    expect(topology.edges).toContainEqual({ from: "aegis-agent", to: `${APP}-replica-1`, label: "spawned" });
    expect(topology.edges).toContainEqual({ from: "aegis-lb", to: `${APP}-replica-2`, label: "routes" });
    expect((await executor.metrics()).map((m) => m.name)).toContain(`${APP}-replica-2`);

    // Idempotent: asking for the same count again starts nothing new.
    const again = await executor.scaleUp(APP, 2);
    expect(again.replicas).toEqual(event.replicas);
  });

  it("skips a replica killed behind its back and records the exit", async () => {
    const replica = `${APP}-replica-1`;
    const pid = await pidOf(lb, replica);
    process.kill(pid, "SIGKILL");
    for (let i = 0; i < 15; i++) {
      const { status, body } = await getJson(`${lb}/health`);
      expect(status).toBe(200);
      expect(body.instance).not.toBe(replica);
    }
    const entry = (await executor.containers()).find((c) => c.name === replica);
    expect(entry?.status).toBe("exited");
    expect(logger.warnings).toContain("process exited unexpectedly");
    expect(await executor.probe(replica, 1000)).toMatchObject({ healthy: false });
    expect(await executor.logs(replica, 5)).toMatch(/exited \(code null, signal SIGKILL\)/);

    // Not auto-restarted; an explicit restart puts it back in rotation.
    await executor.restart(replica);
    expect(await pidOf(lb, replica)).not.toBe(pid);
  });

  it("scales down back to the base instance", async () => {
    expect(await executor.scaleDown(APP)).toEqual({ removed: [`${APP}-replica-1`, `${APP}-replica-2`] });
    expect(executor.replicaCount(APP)).toBe(0);
    expect(executor.has(`${APP}-replica-1`)).toBe(false);
    for (let i = 0; i < 4; i++) expect((await getJson(`${lb}/health`)).body.instance).toBe(APP);
    expect((await executor.topology()).nodes.some((n) => n.type === "replica")).toBe(false);
    expect(await executor.scaleDown(APP)).toEqual({ removed: [] });
  });

  it("rolls back to the previous version and back again", async () => {
    expect(executor.canRollback(APP)).toBe(true);
    expect(await executor.rollback(APP)).toEqual({
      target: APP,
      fromVersion: "v2",
      toVersion: "v1",
      status: "running",
    });
    expect((await getJson(`${lb}/health`)).body.version).toBe("v1");
    expect((await executor.containers())[0]?.image).toBe("local/buggy-app:v1");
    expect(await executor.rollback(APP)).toMatchObject({ fromVersion: "v1", toVersion: "v2" });
    expect((await getJson(`${lb}/health`)).body.version).toBe("v2");
  });

  it("probes, returns logs and rejects unknown targets and bad counts", async () => {
    const probe = await executor.probe(APP, 2000);
    expect(probe.healthy).toBe(true);
    expect(probe.detail).toMatch(/^HTTP 200/);
    expect(await executor.logs(APP, 50)).toMatch(/"event":"listening"/);
    await expect(executor.restart("nope")).rejects.toBeInstanceOf(NotFoundError);
    await expect(executor.logs("nope", 5)).rejects.toBeInstanceOf(NotFoundError);
    await expect(executor.scaleUp(APP, -1)).rejects.toBeInstanceOf(InputError);
    await expect(executor.scaleUp(APP, 1.5)).rejects.toBeInstanceOf(InputError);
  });
});

async function pidOf(lb: string, instance: string): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const { body } = await getJson(`${lb}/health`);
    if (body.instance === instance) return body.pid as number;
  }
  throw new Error(`${instance} never answered through the load balancer`);
}

describe("LocalExecutor lifecycle", () => {
  it("refuses to roll back a service without previous versions", async () => {
    const { executor } = await demoExecutor({ versions: { current: "v2" } });
    await executor.start();
    try {
      expect(executor.canRollback(APP)).toBe(false);
      const err = await executor.rollback(APP).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as Error).message).toBe(`no previous version declared for ${APP}`);
    } finally {
      await executor.stop();
    }
  });

  it("starts a deliberately unhealthy version when readyWhen is 'responding', and rolls back out of it", async () => {
    const [spec] = demoServices({ port: 0, webhookUrl: "", apiKey: "", memoryThresholdMb: 100_000 });
    const executor = new LocalExecutor({
      services: [{ ...(spec as ServiceSpec), env: { BAD_VERSION: "v2" }, readyWhen: "responding" }],
      lbPort: 0,
      logger: recordingLogger(),
      gracefulStopMs: 2000,
    });
    await executor.start();
    try {
      expect((await executor.probe(APP, 2000)).healthy).toBe(false);
      await executor.rollback(APP);
      expect(await executor.probe(APP, 2000)).toMatchObject({ healthy: true });
    } finally {
      await executor.stop();
    }
  });

  it("fails start with a typed error when the service never gets healthy", async () => {
    const [spec] = demoServices({ port: 0, webhookUrl: "", apiKey: "", memoryThresholdMb: 100_000 });
    const executor = new LocalExecutor({
      services: [{ ...(spec as ServiceSpec), env: { BAD_VERSION: "v2" } }],
      lbPort: 0,
      logger: recordingLogger(),
      readyTimeoutMs: 800,
    });
    await expect(executor.start()).rejects.toMatchObject({ name: "UpstreamError", code: "start_timeout" });
    const containers = await executor.containers();
    expect(containers.find((c) => c.name === APP)?.status).toBe("exited");
  });

  it("reports a command that cannot run", async () => {
    const executor = new LocalExecutor({
      services: [
        {
          name: "ghost",
          command: process.execPath,
          args: ["-e", "process.exit(3)"],
          port: 0,
          env: {},
          image: "x",
          healthPath: "/",
        },
      ],
      lbPort: 0,
      logger: recordingLogger(),
    });
    await expect(executor.start()).rejects.toMatchObject({ code: "start_failed" });
  });

  it("wires the demo app's watchdog to the webhook, naming replicas after themselves", async () => {
    const received: { headers: IncomingHttpHeaders; body: { container_name: string; alert_type: string } }[] = [];
    const sink = createServer((req, res) => {
      let text = "";
      req.on("data", (c: Buffer) => {
        text += c.toString();
      });
      req.on("end", () => {
        received.push({ headers: req.headers, body: JSON.parse(text) });
        res.end("{}");
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    const webhookUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/webhook`;
    const executor = new LocalExecutor({
      services: demoServices({ port: 0, webhookUrl, apiKey: "demo-key", memoryThresholdMb: 1 }),
      lbPort: 0,
      logger: recordingLogger(),
    });
    try {
      await executor.start();
      await executor.scaleUp(APP, 1);
      await vi.waitFor(
        () => expect(received.map((r) => r.body.container_name).sort()).toEqual([APP, `${APP}-replica-1`]),
        {
          timeout: 5000,
        },
      );
      for (const alert of received) {
        expect(alert.headers["x-api-key"]).toBe("demo-key");
        expect(alert.body.alert_type).toBe("Memory Leak");
      }
    } finally {
      await executor.stop();
      sink.close();
    }
  });

  it("stop() leaves no child process alive", async () => {
    const { executor } = await demoExecutor();
    await executor.start();
    await executor.scaleUp(APP, 2);
    const lbPort = executor.lbAddress()?.port;
    const pids = new Set<number>();
    for (let i = 0; i < 9; i++) pids.add((await getJson(`http://127.0.0.1:${lbPort}/health`)).body.pid as number);
    expect(pids.size).toBe(3);
    await executor.stop();
    for (const pid of pids) expect(alive(pid)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${lbPort}/health`)).rejects.toThrow();
    await expect(executor.restart(APP)).rejects.toBeInstanceOf(ConflictError);
  });
});
