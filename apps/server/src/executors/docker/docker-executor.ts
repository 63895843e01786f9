import { isIP } from "node:net";
import { join } from "node:path";
import type { ContainerInfo, ContainerMetrics, ScaleDownResult, ScaleEvent, Topology } from "@aegis/contracts";
import Docker from "dockerode";
import type {
  Executor,
  HealthProbe,
  RestartResult,
  RollbackResult,
  RuntimeEvent,
  RuntimeState,
} from "../../ports/executor.js";
import type { RuntimeEvidence } from "../../ports/runtime-evidence.js";
import { ConflictError, InputError, NotFoundError, UpstreamError } from "../../shared/errors.js";
import { cloneSpec, LABEL } from "./clone-spec.js";
import { ContainerEngine, errorText, healthPathOf, nameOf, stateText } from "./container-engine.js";
import { containerEvidence } from "./container-evidence.js";
import { containerMetrics, type EngineStats } from "./container-metrics.js";
import { demuxLogs } from "./demux-logs.js";
import { DeployHistory } from "./deploy-history.js";
import type { DockerExecutorLogger, DockerExecutorOptions, OwnedContainerSpec } from "./docker-executor-options.js";
import { dockerTopology } from "./docker-topology.js";
import { freePortOn } from "./free-port-on.js";
import { NginxBalancer } from "./nginx-balancer.js";
import type { NginxUpstream } from "./nginx-config.js";
import { ensureNodeImage } from "./node-image.js";

interface TargetState {
  name: string;
  owned: OwnedContainerSpec | null;
  /** index → replica container name */
  replicas: Map<number, string>;
  queue: Promise<unknown>;
}

type Inspect = Docker.ContainerInspectInfo;

const AGENT = "aegis-agent";
const LB = "aegis-lb";
const MB = 1024 * 1024;

/** Executor over the Docker Engine API, with the product's own nginx in front of a target and its replicas. */
export class DockerExecutor implements Executor {
  readonly kind = "docker";
  private readonly docker: Docker;
  private readonly engine: ContainerEngine;
  private readonly targetsByName = new Map<string, TargetState>();
  private readonly history: DeployHistory;
  private readonly logger: DockerExecutorLogger;
  private readonly graceSecs: number;
  private readonly readyTimeoutMs: number;
  private lb: NginxBalancer | null = null;
  private lbTarget: TargetState | undefined;
  private createdNetwork = false;
  /** The balancer's port (AEGIS_LB_PORT, or one picked at start when 0). */
  private lbPort: number;
  private phase: "idle" | "started" | "stopped" = "idle";
  private agentCpu = { at: Date.now(), usage: process.cpuUsage() };
  private readonly exitHandler = () => this.lb?.killNow();

  constructor(private readonly opts: DockerExecutorOptions) {
    this.docker = new Docker({ socketPath: opts.socketPath });
    this.engine = new ContainerEngine(this.docker, opts.network);
    this.logger = opts.logger;
    this.graceSecs = opts.stopGraceSecs ?? 3;
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
    this.lbPort = opts.nginx.listenPort;
    this.history = new DeployHistory(join(opts.dataDir, "docker", "deploys.json"));
    for (const spec of opts.owned) this.declare(spec.name, spec);
    for (const name of opts.targets) this.declare(name, null);
    const lbName = opts.lbTarget ?? opts.owned[0]?.name ?? opts.targets[0];
    this.lbTarget = lbName === undefined ? undefined : this.targetsByName.get(lbName);
    if (lbName !== undefined && !this.lbTarget) throw new InputError(`lbTarget "${lbName}" is not a declared target`);
  }

  async start(): Promise<void> {
    if (this.phase !== "idle") throw new ConflictError(`docker executor already ${this.phase}`);
    this.phase = "started";
    try {
      await this.docker.ping().catch((err: Error) => {
        throw new UpstreamError(
          `Docker engine not reachable at ${this.opts.socketPath}: ${err.message}`,
          "docker_unreachable",
        );
      });
      const gateway = await this.ensureNetwork();
      const relayPort = gateway && this.opts.webhook ? await freePortOn(gateway) : null;
      for (const state of this.targetsByName.values()) {
        if (state.owned) await this.createOwned(state.owned, gateway, relayPort);
        const info = await this.engine.mustInspect(state.name);
        this.history.record(state.name, info.Config.Image);
        await this.adoptReplicas(state);
      }
      if (this.lbTarget) {
        if (this.lbPort === 0) this.lbPort = await freePortOn(this.opts.nginx.listenHost);
        this.lb = new NginxBalancer({
          binary: this.opts.nginx.binary,
          dir: join(this.opts.dataDir, "nginx"),
          listenHost: this.opts.nginx.listenHost,
          listenPort: this.lbPort,
          relay:
            gateway && relayPort && this.opts.webhook
              ? {
                  listenHost: gateway,
                  listenPort: relayPort,
                  path: this.opts.webhook.path,
                  toHost: this.opts.webhook.host,
                  toPort: this.opts.webhook.port,
                }
              : undefined,
        });
        process.on("exit", this.exitHandler);
        await this.lb.start(await this.upstreamsOf(this.lbTarget));
      }
    } catch (err) {
      await this.stop().catch((e: unknown) =>
        this.logger.error({ err: errorText(e) }, "cleanup after failed start failed"),
      );
      throw err;
    }
  }

  async stop(): Promise<void> {
    if (this.phase === "stopped") return;
    this.phase = "stopped";
    process.off("exit", this.exitHandler);
    const failures: string[] = [];
    await this.lb?.stop().catch((e: unknown) => failures.push(`nginx: ${errorText(e)}`));
    if (this.opts.removeOwnedOnStop ?? true) {
      for (const state of this.targetsByName.values()) {
        if (!state.owned) continue;
        const names = [state.name, ...state.replicas.values()];
        state.replicas.clear();
        await Promise.all(names.map((n) => this.engine.remove(n).catch((e: unknown) => failures.push(errorText(e)))));
      }
      if (this.createdNetwork) {
        await this.docker
          .getNetwork(this.opts.network)
          .remove()
          .catch((e: unknown) => this.logger.warn({ err: errorText(e) }, "network left in place"));
      }
    }
    if (failures.length > 0) throw new UpstreamError(`docker executor stop failed: ${failures.join("; ")}`);
  }

  /** Where nginx listens. */
  lbAddress(): { host: string; port: number } | null {
    return this.lb?.running ? { host: this.opts.nginx.listenHost, port: this.lbPort } : null;
  }

  targets(): string[] {
    return [...this.targetsByName.keys()];
  }

  has(target: string): boolean {
    return this.locate(target) !== undefined;
  }

  canRollback(target: string): boolean {
    const state = this.locate(target)?.state;
    return state !== undefined && this.history.previous(state.name) !== undefined;
  }

  replicaCount(target: string): number {
    return this.locate(target)?.state.replicas.size ?? 0;
  }

  async restart(target: string): Promise<RestartResult> {
    const { state } = this.mustLocate(target);
    return this.serialize(state, async () => {
      this.ensureStarted();
      const info = await this.engine.mustInspect(target, "RESTART");
      await this.docker
        .getContainer(info.Id)
        .restart({ t: this.graceSecs })
        .catch(async (err: unknown) => {
          throw await this.engine.failure(target, "RESTART", err);
        });
      await this.engine.waitReady(target, "RESTART", this.readyTimeoutMs);
      // A restarted container may come back on another address of its network.
      if (state === this.lbTarget) await this.syncLb(state);
      this.logger.info({ target, id: info.Id.slice(0, 12) }, "restarted");
      return { target, status: "running" };
    });
  }

  async scaleUp(target: string, count: number): Promise<ScaleEvent> {
    if (!Number.isInteger(count) || count < 0 || count > this.opts.maxReplicas) {
      throw new InputError(`replica count must be an integer between 0 and ${this.opts.maxReplicas}, got ${count}`);
    }
    const { state } = this.mustLocate(target);
    return this.serialize(state, async () => {
      this.ensureStarted();
      await this.removeReplicas(
        state,
        [...state.replicas.keys()].filter((i) => i > count),
      );
      const base = await this.engine.mustInspect(state.name, "SCALE_UP");
      const created: number[] = [];
      const starts: Promise<void>[] = [];
      for (let i = 1; i <= count; i++) {
        const name = replicaName(state.name, i);
        const existing = await this.engine.inspect(name);
        if (existing?.State.Running && state.replicas.has(i)) continue;
        if (existing && existing.Config.Labels?.[LABEL.replicaOf] !== state.name) {
          throw new ConflictError(`a container named ${name} exists and is not a replica of ${state.name}`);
        }
        if (existing) await this.engine.remove(name);
        const nameEnv = state.owned?.nameEnv;
        const spec = cloneSpec(base, {
          name,
          env: nameEnv ? { [nameEnv]: name } : {},
          labels: { ...this.labels(), [LABEL.replicaOf]: state.name, [LABEL.replicaIndex]: String(i) },
          dropHostPorts: true,
        });
        state.replicas.set(i, name);
        created.push(i);
        starts.push(
          (async () => {
            const c = await this.docker.createContainer(spec);
            await c.start();
            await this.engine.waitReady(name, "SCALE_UP", this.readyTimeoutMs);
          })(),
        );
      }
      const failed = (await Promise.allSettled(starts)).filter(
        (r): r is PromiseRejectedResult => r.status === "rejected",
      );
      let lbConfigured = false;
      try {
        if (failed.length > 0) {
          throw new UpstreamError(
            `scale-up of ${state.name} to ${count} failed: ${failed.map((f) => errorText(f.reason)).join("; ")}`,
            "scale_failed",
          );
        }
        if (state === this.lbTarget) {
          await this.syncLb(state);
          lbConfigured = true;
        }
      } catch (err) {
        // All or nothing for the replicas this call created.
        await this.removeReplicas(state, created, false).catch((e: unknown) =>
          this.logger.error({ err: errorText(e) }, "could not remove replicas of a failed scale-up"),
        );
        throw err;
      }
      const replicas = this.replicaNames(state);
      this.logger.info({ target: state.name, replicas }, "scaled up");
      return {
        container_base: state.name,
        replica_count: count,
        replicas,
        lb_configured: lbConfigured,
        timestamp: new Date().toISOString(),
      };
    });
  }

  async scaleDown(target: string): Promise<ScaleDownResult> {
    const { state } = this.mustLocate(target);
    return this.serialize(state, async () => {
      this.ensureStarted();
      const removed = this.replicaNames(state);
      await this.removeReplicas(state, [...state.replicas.keys()]);
      this.logger.info({ target: state.name, removed }, "scaled down");
      return { removed };
    });
  }

  async rollback(target: string): Promise<RollbackResult> {
    const { state } = this.mustLocate(target);
    return this.serialize(state, async () => {
      this.ensureStarted();
      const to = this.history.previous(state.name);
      if (to === undefined) throw new ConflictError(`no previous image recorded for ${state.name}`);
      const current = await this.engine.mustInspect(state.name, "ROLLBACK");
      const from = current.Config.Image;
      const oldImageEnv = (await this.docker.getImage(current.Image).inspect()).Config.Env ?? [];
      await this.docker
        .getImage(to)
        .inspect()
        .catch(() => {
          throw new ConflictError(`previous image ${to} of ${state.name} is no longer on this engine`);
        });
      this.logger.info({ target: state.name, from, to }, "rolling back");
      // Base first, then the replicas one at a time, so the others keep serving.
      for (const name of [state.name, ...this.replicaNames(state)]) {
        const info = name === state.name ? current : await this.engine.mustInspect(name, "ROLLBACK");
        await this.recreate(info, cloneSpec(info, { name, image: { ref: to, oldImageEnv } }), "ROLLBACK");
      }
      this.history.record(state.name, to);
      if (state === this.lbTarget) await this.syncLb(state);
      return { target: state.name, fromVersion: from, toVersion: to, status: "running" };
    });
  }

  async probe(target: string, timeoutMs: number): Promise<HealthProbe> {
    const { state } = this.mustLocate(target);
    const info = await this.engine.inspect(target);
    if (!info) return { healthy: false, detail: `container ${target} no longer exists on the Docker engine` };
    if (!info.State.Running) return { healthy: false, detail: stateText(target, info) };
    const addr = this.engine.addressOf(info);
    if (!addr) return { healthy: false, detail: `container ${target} has no address on a network` };
    const path = healthPathOf(info, state.owned?.healthPath);
    try {
      const res = await fetch(`http://${addr.host}:${addr.port}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      const body = await res.text();
      return {
        healthy: res.status >= 200 && res.status < 300,
        detail: `HTTP ${res.status} ${body.slice(0, 200)}`.trim(),
      };
    } catch (err) {
      return { healthy: false, detail: `GET ${path} on ${target} failed: ${errorText(err)}` };
    }
  }

  async containers(): Promise<ContainerInfo[]> {
    const list = await this.docker.listContainers({ all: true });
    const out: ContainerInfo[] = list
      .filter((c) => c.State === "running" || this.has(nameOf(c.Names)))
      .map((c) => ({ name: nameOf(c.Names), status: c.State, image: c.Image, id: c.Id.slice(0, 12) }));
    out.push({ name: AGENT, status: "running", image: "aegisops (host process)", id: `pid-${process.pid}` });
    out.push({
      name: LB,
      status: this.lbStatus(),
      image: `nginx (${this.opts.nginx.binary})`,
      id: `pid-${this.lb?.pid ?? 0}`,
    });
    return out;
  }

  async metrics(): Promise<ContainerMetrics[]> {
    const running = await this.docker.listContainers();
    const now = Date.now();
    const results = await Promise.all(
      running.map(async (c): Promise<ContainerMetrics | null> => {
        const handle = this.docker.getContainer(c.Id);
        const [stats, info] = await Promise.all([
          handle.stats({ stream: false }).catch(() => null) as Promise<EngineStats | null>,
          handle.inspect().catch(() => null),
        ]);
        if (!info) return null; // removed between the list and the read
        return containerMetrics(
          stats,
          {
            name: nameOf(c.Names),
            image: info.Config.Image,
            status: info.State.Status,
            startedAt: info.State.StartedAt,
          },
          now,
        );
      }),
    );
    const out = results.filter((m): m is ContainerMetrics => m !== null);
    out.push(this.agentMetrics(now));
    const lbStart = this.lb?.startedAt ?? null;
    out.push({
      name: LB,
      cpu_percent: 0,
      memory_mb: 0,
      memory_limit_mb: 0,
      memory_percent: 0,
      net_rx_bytes: 0,
      net_tx_bytes: 0,
      status: this.lbStatus(),
      uptime_seconds: lbStart === null ? 0 : Math.round((now - lbStart) / 100) / 10,
      image: `nginx (${this.opts.nginx.binary})`,
    });
    return out;
  }

  async topology(): Promise<Topology> {
    return dockerTopology({
      containers: await this.docker.listContainers({ all: true }),
      targets: [...this.targetsByName.values()].map((t) => ({
        name: t.name,
        replicas: this.replicaNames(t),
        balanced: t === this.lbTarget,
      })),
      agent: { id: AGENT, image: "aegisops (host process)" },
      lb: { id: LB, status: this.lbStatus(), image: `nginx (${this.opts.nginx.binary})` },
    });
  }

  async logs(target: string, lines: number): Promise<string> {
    this.mustLocate(target);
    const info = await this.engine.mustInspect(target, "logs");
    const buf = (await this.docker.getContainer(info.Id).logs({
      stdout: true,
      stderr: true,
      follow: false,
      tail: Math.max(0, Math.floor(lines)),
    })) as unknown as Buffer;
    return demuxLogs(buf).replace(/\n$/, "");
  }

  /** Runtime evidence for the pipeline (ports/runtime-evidence.ts): inspect, the last hour's events, the last logs. */
  async gatherEvidence(target: string): Promise<RuntimeEvidence | null> {
    if (!this.has(target)) return null;
    try {
      const state = await this.inspect(target);
      const [events, logs] = await Promise.all([
        this.events(target, 3600).catch(() => []),
        this.logs(target, 50).catch(() => ""),
      ]);
      return containerEvidence(target, state, events, logs);
    } catch {
      // A container gone since the alert: the alert's own evidence stands alone.
      return null;
    }
  }

  async inspect(target: string): Promise<RuntimeState> {
    this.mustLocate(target);
    const info = await this.engine.mustInspect(target, "inspect");
    const s = info.State;
    return {
      target,
      id: info.Id,
      image: info.Config.Image,
      status: s.Status,
      exitCode: s.Running ? null : s.ExitCode,
      oomKilled: s.OOMKilled,
      restartCount: info.RestartCount,
      startedAt: s.StartedAt || null,
      finishedAt: s.FinishedAt && !s.FinishedAt.startsWith("0001") ? s.FinishedAt : null,
      error: s.Error || null,
    };
  }

  async events(target: string, sinceSeconds: number): Promise<RuntimeEvent[]> {
    this.mustLocate(target);
    const now = Date.now() / 1000;
    // With `until` = now the engine sends what it recorded and closes the stream; fractional seconds
    // keep this second's events in.
    const stream = (await this.docker.getEvents({
      since: (now - Math.max(1, sinceSeconds)).toFixed(3),
      until: now.toFixed(3),
      filters: { type: ["container"], container: [target] },
    } as unknown as Docker.GetEventsOptions)) as NodeJS.ReadableStream;
    let raw = "";
    for await (const chunk of stream) raw += String(chunk);
    const out: RuntimeEvent[] = [];
    for (const line of raw.split("\n")) {
      if (!line.trim()) continue;
      const e = JSON.parse(line) as {
        Action?: string;
        timeNano?: number;
        time?: number;
        Actor?: { Attributes?: Record<string, string> };
      };
      const { name, ...detail } = e.Actor?.Attributes ?? {};
      // The engine's `container` filter also matches names that merely contain the target's.
      if (name !== target) continue;
      const ms = e.timeNano ? Math.floor(e.timeNano / 1e6) : (e.time ?? 0) * 1000;
      out.push({ at: new Date(ms).toISOString(), action: e.Action ?? "unknown", detail });
    }
    return out;
  }

  private declare(name: string, owned: OwnedContainerSpec | null): void {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw new InputError(`container name "${name}" is not valid`);
    if (this.targetsByName.has(name)) throw new InputError(`target "${name}" is declared twice`);
    this.targetsByName.set(name, { name, owned, replicas: new Map(), queue: Promise.resolve() });
  }

  /** The network (created when missing) and its gateway, the host's address on it. */
  private async ensureNetwork(): Promise<string | null> {
    const net = this.docker.getNetwork(this.opts.network);
    let info = await net.inspect().catch(() => null);
    if (!info) {
      await this.docker.createNetwork({
        Name: this.opts.network,
        Driver: "bridge",
        CheckDuplicate: true,
        Labels: this.labels(),
      });
      this.createdNetwork = true;
      info = await net.inspect();
    }
    const config = (info as { IPAM?: { Config?: { Gateway?: string }[] } }).IPAM?.Config ?? [];
    return config.find((c) => c.Gateway && !c.Gateway.includes(":"))?.Gateway ?? null;
  }

  private async createOwned(spec: OwnedContainerSpec, gateway: string | null, relayPort: number | null): Promise<void> {
    const { built } = await ensureNodeImage(this.docker, spec.image);
    if (built.length > 0) this.logger.info({ images: built }, "built images with docker import");
    const image = `${spec.image.repo}:${spec.tag}`;
    this.history.seed(spec.name, [...spec.previousTags.map((t) => `${spec.image.repo}:${t}`), image]);
    // What ran before is the product's own: rebuilt so it carries this run's webhook address.
    const stale = await this.docker.listContainers({ all: true, filters: { label: [`${LABEL.demo}=${spec.name}`] } });
    for (const c of stale) await this.engine.remove(c.Id);
    const clash = await this.engine.inspect(spec.name);
    if (clash) throw new ConflictError(`a container named ${spec.name} exists and was not created by AegisOps`);
    const env: Record<string, string> = { ...spec.env };
    if (spec.nameEnv) env[spec.nameEnv] = spec.name;
    if (spec.webhookEnv && gateway && relayPort && this.opts.webhook) {
      env[spec.webhookEnv] = `http://${AGENT}:${relayPort}${this.opts.webhook.path}`;
    }
    const port = `${spec.image.port}/tcp`;
    const c = await this.docker.createContainer({
      name: spec.name,
      Image: this.history.of(spec.name).at(-1) ?? image,
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      Labels: {
        ...this.labels(),
        [LABEL.demo]: spec.name,
        [LABEL.port]: String(spec.image.port),
        [LABEL.healthPath]: spec.healthPath,
      },
      ExposedPorts: { [port]: {} },
      HostConfig: {
        NetworkMode: this.opts.network,
        PortBindings:
          spec.hostPort === null
            ? {}
            : {
                [port]: [
                  {
                    HostIp: isIP(this.opts.nginx.listenHost) ? this.opts.nginx.listenHost : "127.0.0.1",
                    HostPort: String(spec.hostPort),
                  },
                ],
              },
        ExtraHosts: gateway ? [`${AGENT}:${gateway}`] : [],
      },
    });
    await c.start();
    await this.engine.waitReady(spec.name, "start", this.readyTimeoutMs);
    this.logger.info({ target: spec.name, id: c.id.slice(0, 12) }, "container started");
  }

  /** Replicas of the target left by an earlier run (labelled with the base's name). */
  private async adoptReplicas(state: TargetState): Promise<void> {
    const found = await this.docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.replicaOf}=${state.name}`] },
    });
    for (const c of found) {
      const i = Number(c.Labels[LABEL.replicaIndex]);
      if (Number.isInteger(i) && i > 0 && nameOf(c.Names) === replicaName(state.name, i))
        state.replicas.set(i, nameOf(c.Names));
    }
  }

  private async recreate(info: Inspect, spec: Docker.ContainerCreateOptions, action: string): Promise<void> {
    const name = info.Name.replace(/^\//, "");
    await this.docker
      .getContainer(info.Id)
      .stop({ t: this.graceSecs })
      .catch(() => undefined);
    await this.engine.remove(info.Id);
    const created = await this.docker.createContainer(spec).catch(async (err: unknown) => {
      throw await this.engine.failure(name, action, err);
    });
    await created.start();
    await this.engine.waitReady(name, action, this.readyTimeoutMs);
  }

  private async removeReplicas(state: TargetState, indices: number[], sync = true): Promise<void> {
    if (indices.length === 0) return;
    const names = indices.map((i) => state.replicas.get(i)).filter((n): n is string => n !== undefined);
    for (const i of indices) state.replicas.delete(i);
    // Out of the balancer first, so no request goes to a replica being stopped.
    if (sync && state === this.lbTarget) await this.syncLb(state);
    const results = await Promise.allSettled(
      names.map(async (n) => {
        await this.docker
          .getContainer(n)
          .stop({ t: this.graceSecs })
          .catch(() => undefined);
        await this.engine.remove(n);
      }),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) {
      throw new UpstreamError(
        `could not remove replicas of ${state.name}: ${failed.map((f) => errorText(f.reason)).join("; ")}`,
      );
    }
  }

  private async upstreamsOf(state: TargetState): Promise<NginxUpstream[]> {
    const out: NginxUpstream[] = [];
    for (const name of [state.name, ...this.replicaNames(state)]) {
      const info = await this.engine.inspect(name);
      const addr = info?.State.Running ? this.engine.addressOf(info) : null;
      if (addr) out.push({ name, ...addr });
    }
    if (out.length === 0) throw new UpstreamError(`no running container of ${state.name} to balance`, "lb_failed");
    return out;
  }

  private async syncLb(state: TargetState): Promise<void> {
    if (!this.lb) return;
    await this.lb.setUpstreams(await this.upstreamsOf(state));
  }

  private labels(): Record<string, string> {
    return { [LABEL.managedBy]: "aegisops", ...(this.opts.labels ?? {}) };
  }

  private agentMetrics(now: number): ContainerMetrics {
    const usage = process.cpuUsage();
    const cpuMicros = usage.user + usage.system - (this.agentCpu.usage.user + this.agentCpu.usage.system);
    const wallMicros = (now - this.agentCpu.at) * 1000;
    this.agentCpu = { at: now, usage };
    const rss = process.memoryUsage().rss / MB;
    return {
      name: AGENT,
      cpu_percent: wallMicros > 0 ? Math.round((cpuMicros / wallMicros) * 10_000) / 100 : 0,
      memory_mb: Math.round(rss * 10) / 10,
      memory_limit_mb: 0,
      memory_percent: 0,
      net_rx_bytes: 0,
      net_tx_bytes: 0,
      status: "running",
      uptime_seconds: Math.round(process.uptime() * 10) / 10,
      image: "aegisops (host process)",
    };
  }

  private serialize<T>(state: TargetState, fn: () => Promise<T>): Promise<T> {
    const run = state.queue.then(fn, fn);
    state.queue = run.catch(() => undefined);
    return run;
  }

  private ensureStarted(): void {
    if (this.phase !== "started")
      throw new ConflictError(`docker executor is ${this.phase === "idle" ? "not started" : "stopped"}`);
  }

  private locate(target: string): { state: TargetState } | undefined {
    const state = this.targetsByName.get(target);
    if (state) return { state };
    for (const candidate of this.targetsByName.values()) {
      for (const name of candidate.replicas.values()) if (name === target) return { state: candidate };
    }
    return undefined;
  }

  private mustLocate(target: string): { state: TargetState } {
    const found = this.locate(target);
    if (!found) throw new NotFoundError(`unknown target "${target}" (managed: ${this.targets().join(", ") || "none"})`);
    return found;
  }

  private replicaNames(state: TargetState): string[] {
    return [...state.replicas.keys()].sort((a, b) => a - b).map((i) => state.replicas.get(i) as string);
  }

  private lbStatus(): string {
    return this.lb?.running ? "running" : this.phase === "idle" ? "created" : "exited";
  }
}

export function replicaName(base: string, index: number): string {
  return `${base}-replica-${index}`;
}
