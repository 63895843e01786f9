import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { totalmem } from "node:os";
import { join } from "node:path";
import type { ContainerInfo, ContainerMetrics, ScaleDownResult, ScaleEvent, Topology } from "@aegis/contracts";
import type { Executor, HealthProbe, RestartResult, RollbackResult } from "../../ports/executor.js";
import { ConflictError, InputError, NotFoundError, UpstreamError } from "../../shared/errors.js";
import { CpuMeter } from "./cpu-meter.js";
import { freePort } from "./free-port.js";
import { httpGet, isHealthyStatus } from "./http-get.js";
import { LoadBalancer } from "./load-balancer.js";
import type { ExecutorLogger, LocalExecutorOptions, ServiceSpec } from "./local-executor-options.js";
import { errorText, type LaunchConfig, ManagedProcess } from "./managed-process.js";
import { readProcessSample } from "./process-sample.js";

interface Replica {
  proc: ManagedProcess;
  port: number;
}

interface ServiceState {
  spec: ServiceSpec;
  /** Resolved base port (spec.port, or allocated at start when 0). */
  port: number;
  version: string | null;
  /** Most recent first. */
  previous: string[];
  image: string;
  base: ManagedProcess;
  replicas: Map<number, Replica>;
  /** Operations on one service run one at a time (a restart must not race a scale-up). */
  queue: Promise<unknown>;
}

interface Located {
  state: ServiceState;
  proc: ManagedProcess;
  port: number;
}

const MB = 1024 * 1024;
const NAME_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const DEFAULT_INHERIT_ENV = ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "SYSTEMROOT"];

/** Executor over local child processes behind a built-in load balancer (the Docker-free runtime). */
export class LocalExecutor implements Executor {
  readonly kind = "local";
  private readonly services = new Map<string, ServiceState>();
  private readonly lb: LoadBalancer;
  private readonly lbState: ServiceState | undefined;
  private readonly cpu = new CpuMeter();
  private readonly logger: ExecutorLogger;
  private readonly host: string;
  private readonly gracefulStopMs: number;
  private readonly readyTimeoutMs: number;
  private readonly maxReplicas: number;
  private readonly allocate: () => Promise<number>;
  private readonly names: { agent: string; agentImage: string; lb: string; lbImage: string };
  private phase: "idle" | "started" | "stopped" = "idle";
  // Children must never outlive the server, even on process.exit() without stop().
  private readonly exitHandler = () => this.killAllNow();

  constructor(private readonly opts: LocalExecutorOptions) {
    this.logger = opts.logger;
    this.host = opts.host ?? "127.0.0.1";
    this.gracefulStopMs = opts.gracefulStopMs ?? 3000;
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 15_000;
    this.maxReplicas = opts.maxReplicas ?? 10;
    this.allocate = opts.portAllocator ?? (() => freePort(this.host));
    this.names = {
      agent: opts.agentName ?? "aegis-agent",
      agentImage: opts.agentImage ?? "local/aegis-agent",
      lb: opts.lbName ?? "aegis-lb",
      lbImage: opts.lbImage ?? "local/aegis-lb",
    };
    if (opts.dataDir) mkdirSync(join(opts.dataDir, "logs"), { recursive: true });
    for (const spec of opts.services) this.services.set(spec.name, this.initService(spec));
    const lbName = opts.lbService ?? opts.services[0]?.name;
    this.lbState = lbName === undefined ? undefined : this.services.get(lbName);
    if (lbName !== undefined && !this.lbState) throw new InputError(`lbService "${lbName}" is not a declared service`);
    this.lb = new LoadBalancer({
      host: opts.lbHost ?? "127.0.0.1",
      port: opts.lbPort,
      healthPath: this.lbState?.spec.healthPath ?? "/health",
      logger: this.logger,
      healthIntervalMs: opts.healthCheckIntervalMs ?? 1000,
    });
  }

  async start(): Promise<void> {
    if (this.phase !== "idle") throw new ConflictError(`local executor already ${this.phase}`);
    this.phase = "started";
    process.on("exit", this.exitHandler);
    try {
      await this.lb.start();
      for (const state of this.services.values()) {
        if (state.port === 0) state.port = await this.allocatePort();
        await state.base.start(this.launchFor(state, state.spec.name, state.port));
        this.logger.info({ target: state.spec.name, pid: state.base.pid, port: state.port }, "service started");
      }
      this.syncLb();
    } catch (err) {
      await this.stop().catch((stopErr: unknown) =>
        this.logger.error({ err: errorText(stopErr) }, "cleanup after failed start also failed"),
      );
      throw err;
    }
  }

  async stop(): Promise<void> {
    if (this.phase === "stopped") return;
    this.phase = "stopped";
    const procs = this.allProcs();
    const results = await Promise.allSettled([this.lb.stop(), ...procs.map((proc) => proc.stop(this.gracefulStopMs))]);
    for (const proc of procs) proc.close();
    process.off("exit", this.exitHandler);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failures.length > 0) {
      throw new UpstreamError(`local executor stop failed: ${failures.map((f) => errorText(f.reason)).join("; ")}`);
    }
  }

  /** Where the load balancer listens (after start). */
  lbAddress(): { host: string; port: number } | null {
    return this.lb.address();
  }

  targets(): string[] {
    return [...this.services.keys()];
  }

  has(target: string): boolean {
    return this.locate(target) !== undefined;
  }

  canRollback(target: string): boolean {
    const state = this.locate(target)?.state;
    return state !== undefined && state.version !== null && state.previous.length > 0;
  }

  replicaCount(target: string): number {
    return this.locate(target)?.state.replicas.size ?? 0;
  }

  async restart(target: string): Promise<RestartResult> {
    const found = this.mustLocate(target);
    return this.serialize(found.state, async () => {
      const { state, proc, port } = this.mustLocate(target);
      await this.restartInstance(state, proc, port);
      this.logger.info({ target, pid: proc.pid }, "restarted");
      return { target, status: "running" };
    });
  }

  async scaleUp(target: string, count: number): Promise<ScaleEvent> {
    if (!Number.isInteger(count) || count < 0 || count > this.maxReplicas) {
      throw new InputError(`replica count must be an integer between 0 and ${this.maxReplicas}, got ${count}`);
    }
    const state = this.mustLocate(target).state;
    return this.serialize(state, async () => {
      this.ensureStarted();
      const extra = [...state.replicas.keys()].filter((i) => i > count);
      await this.removeReplicas(state, extra);
      const created: number[] = [];
      const starts: Promise<void>[] = [];
      for (let i = 1; i <= count; i++) {
        let replica = state.replicas.get(i);
        if (replica?.proc.alive) continue;
        if (!replica) {
          const name = replicaName(state.spec.name, i);
          replica = { proc: this.newProcess(name), port: await this.allocatePort() };
          state.replicas.set(i, replica);
          created.push(i);
        }
        starts.push(replica.proc.start(this.launchFor(state, replica.proc.name, replica.port)));
      }
      const results = await Promise.allSettled(starts);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed.length > 0) {
        // All or nothing for the replicas this call created; a half-applied scale-up is harder to reason about.
        await this.removeReplicas(state, created);
        throw new UpstreamError(
          `scale-up of ${state.spec.name} to ${count} failed: ${failed.map((f) => errorText(f.reason)).join("; ")}`,
          "scale_failed",
        );
      }
      for (const i of state.replicas.keys()) this.lb.setEnabled(replicaName(state.spec.name, i), true);
      this.syncLb();
      const replicas = this.replicaNames(state);
      this.logger.info({ target: state.spec.name, replicas }, "scaled up");
      return {
        container_base: state.spec.name,
        replica_count: count,
        replicas,
        lb_configured: state === this.lbState && this.lb.running,
        timestamp: new Date().toISOString(),
      };
    });
  }

  async scaleDown(target: string): Promise<ScaleDownResult> {
    const state = this.mustLocate(target).state;
    return this.serialize(state, async () => {
      const removed = this.replicaNames(state);
      await this.removeReplicas(state, [...state.replicas.keys()]);
      this.logger.info({ target: state.spec.name, removed }, "scaled down");
      return { removed };
    });
  }

  async rollback(target: string): Promise<RollbackResult> {
    const state = this.mustLocate(target).state;
    return this.serialize(state, async () => {
      this.ensureStarted();
      const fromVersion = state.version;
      const toVersion = state.previous[0];
      if (fromVersion === null || toVersion === undefined) {
        throw new ConflictError(`no previous version declared for ${state.spec.name}`);
      }
      // Like `kubectl rollout undo`: the version we leave becomes the one a second rollback returns to.
      state.version = toVersion;
      state.previous = [fromVersion, ...state.previous.slice(1)];
      state.image = retag(state.image, fromVersion, toVersion);
      this.logger.info({ target: state.spec.name, fromVersion, toVersion }, "rolling back");
      await this.restartInstance(state, state.base, state.port);
      // Rolling: one replica at a time, the others keep serving.
      for (const replica of state.replicas.values()) await this.restartInstance(state, replica.proc, replica.port);
      return { target: state.spec.name, fromVersion, toVersion, status: "running" };
    });
  }

  async probe(target: string, timeoutMs: number): Promise<HealthProbe> {
    const { state, proc, port } = this.mustLocate(target);
    if (!proc.alive) {
      return {
        healthy: false,
        detail: `${proc.name} is ${proc.status} (exit code ${proc.exitCode}, signal ${proc.exitSignal})`,
      };
    }
    try {
      const answer = await httpGet(this.host, port, state.spec.healthPath, timeoutMs);
      return {
        healthy: isHealthyStatus(answer.status),
        detail: `HTTP ${answer.status} ${answer.body.slice(0, 200)}`.trim(),
      };
    } catch (err) {
      return { healthy: false, detail: `GET ${state.spec.healthPath} failed: ${errorText(err)}` };
    }
  }

  async containers(): Promise<ContainerInfo[]> {
    const list: ContainerInfo[] = this.instances().map(({ proc, state }) => ({
      name: proc.name,
      status: proc.status,
      image: state.image,
      id: shortId(proc.name),
    }));
    list.push({
      name: this.names.agent,
      status: "running",
      image: this.names.agentImage,
      id: shortId(this.names.agent),
    });
    list.push({ name: this.names.lb, status: this.lbStatus(), image: this.names.lbImage, id: shortId(this.names.lb) });
    return list;
  }

  async metrics(): Promise<ContainerMetrics[]> {
    const now = Date.now();
    const limitMb = this.opts.memoryLimitMb ?? totalmem() / MB;
    const sampled = new Set<number>();
    const measure = async (
      name: string,
      image: string,
      status: string,
      pid: number | null,
      startedAt: number | null,
      traffic: { rx: number; tx: number },
    ): Promise<ContainerMetrics> => {
      const sample = pid !== null && status !== "exited" ? await readProcessSample(pid) : null;
      if (pid !== null && sample) sampled.add(pid);
      const memoryMb = sample ? sample.rssBytes / MB : 0;
      const cpu =
        sample && pid !== null && startedAt !== null ? this.cpu.percent(pid, sample.cpuSeconds, startedAt, now) : 0;
      return {
        name,
        cpu_percent: round(cpu, 2),
        memory_mb: round(memoryMb, 1),
        memory_limit_mb: round(limitMb, 1),
        memory_percent: round((memoryMb / limitMb) * 100, 2),
        net_rx_bytes: traffic.rx,
        net_tx_bytes: traffic.tx,
        status: sample || pid === process.pid ? status : "exited",
        uptime_seconds: sample && startedAt !== null ? round((now - startedAt) / 1000, 1) : 0,
        image,
      };
    };
    const agentStart = now - process.uptime() * 1000;
    const lbStart = this.lb.startedAt;
    const results = await Promise.all([
      ...this.instances().map(({ proc, state }) =>
        measure(proc.name, state.image, proc.status, proc.pid, proc.startedAt, this.lb.trafficOf(proc.name)),
      ),
      measure(this.names.agent, this.names.agentImage, "running", process.pid, agentStart, { rx: 0, tx: 0 }),
    ]);
    // The load balancer runs inside the agent process: its CPU and memory are counted there; only traffic is its own.
    results.push({
      name: this.names.lb,
      cpu_percent: 0,
      memory_mb: 0,
      memory_limit_mb: round(limitMb, 1),
      memory_percent: 0,
      net_rx_bytes: this.lb.totalTraffic().rx,
      net_tx_bytes: this.lb.totalTraffic().tx,
      status: this.lbStatus(),
      uptime_seconds: lbStart === null ? 0 : round((now - lbStart) / 1000, 1),
      image: this.names.lbImage,
    });
    this.cpu.retain(sampled);
    return results;
  }

  async topology(): Promise<Topology> {
    const agent = this.names.agent;
    const lb = this.names.lb;
    const nodes: Topology["nodes"] = [{ id: agent, type: "agent", status: "running", image: this.names.agentImage }];
    const edges: Topology["edges"] = [];
    for (const { proc, state, replica } of this.instances()) {
      nodes.push({ id: proc.name, type: replica ? "replica" : "app", status: proc.status, image: state.image });
      edges.push({ from: agent, to: proc.name, label: replica ? "spawned" : "monitors" });
      if (state === this.lbState) edges.push({ from: lb, to: proc.name, label: "routes" });
    }
    nodes.push({ id: lb, type: "loadbalancer", status: this.lbStatus(), image: this.names.lbImage });
    return { nodes, edges };
  }

  async logs(target: string, lines: number): Promise<string> {
    const { proc } = this.mustLocate(target);
    return proc.tail(Math.max(0, Math.floor(lines))).join("\n");
  }

  private initService(spec: ServiceSpec): ServiceState {
    if (!NAME_RE.test(spec.name)) {
      throw new InputError(`service name "${spec.name}" must be lowercase letters, digits and dashes`);
    }
    if (this.services.has(spec.name)) throw new InputError(`service "${spec.name}" is declared twice`);
    if (!spec.healthPath.startsWith("/")) throw new InputError(`healthPath of ${spec.name} must start with "/"`);
    if (!Number.isInteger(spec.port) || spec.port < 0 || spec.port > 65535) {
      throw new InputError(`port of ${spec.name} must be 0..65535, got ${spec.port}`);
    }
    return {
      spec,
      port: spec.port,
      version: spec.versions?.current ?? null,
      previous: [...(spec.versions?.previous ?? [])],
      image: spec.image,
      base: this.newProcess(spec.name),
      replicas: new Map(),
      queue: Promise.resolve(),
    };
  }

  private newProcess(name: string): ManagedProcess {
    return new ManagedProcess({
      name,
      logger: this.logger,
      logLines: this.opts.logLines ?? 500,
      logFile: this.opts.dataDir ? join(this.opts.dataDir, "logs", `${name}.log`) : undefined,
      onUnexpectedExit: (proc) => {
        // Recorded, not repaired: deciding what to do is the incident pipeline's job.
        this.logger.warn(
          { target: proc.name, pid: proc.pid, code: proc.exitCode, signal: proc.exitSignal },
          "process exited unexpectedly",
        );
        this.lb.markDown(proc.name, "process exited");
      },
    });
  }

  private launchFor(state: ServiceState, name: string, port: number): LaunchConfig {
    const { spec } = state;
    const env: Record<string, string> = {};
    for (const key of this.opts.inheritEnv ?? DEFAULT_INHERIT_ENV) {
      const value = process.env[key];
      if (value !== undefined) env[key] = value;
    }
    Object.assign(env, spec.env);
    env.PORT = String(port);
    env.HOST = this.host;
    env.AEGIS_SUPERVISOR_PID = String(process.pid);
    if (spec.nameEnv) env[spec.nameEnv] = name;
    if (state.version !== null) env[spec.versionEnv ?? "APP_VERSION"] = state.version;
    return {
      command: spec.command,
      args: spec.args,
      env,
      cwd: spec.cwd,
      host: this.host,
      port,
      healthPath: spec.healthPath,
      readyWhen: spec.readyWhen ?? "healthy",
      readyTimeoutMs: this.readyTimeoutMs,
      gracefulStopMs: this.gracefulStopMs,
    };
  }

  private async restartInstance(state: ServiceState, proc: ManagedProcess, port: number): Promise<void> {
    this.ensureStarted();
    // Drain first so the balancer stops sending new requests to the instance going down.
    this.lb.setEnabled(proc.name, false);
    await proc.restart(this.launchFor(state, proc.name, port));
    this.lb.setEnabled(proc.name, true);
  }

  private async removeReplicas(state: ServiceState, indices: number[]): Promise<void> {
    if (indices.length === 0) return;
    for (const i of indices) this.lb.setEnabled(replicaName(state.spec.name, i), false);
    const results = await Promise.allSettled(
      indices.map(async (i) => {
        const replica = state.replicas.get(i);
        if (!replica) return;
        await replica.proc.stop(this.gracefulStopMs);
        replica.proc.close();
        state.replicas.delete(i);
      }),
    );
    this.syncLb();
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) {
      throw new UpstreamError(
        `could not stop replicas of ${state.spec.name}: ${failed.map((f) => errorText(f.reason)).join("; ")}`,
      );
    }
  }

  private syncLb(): void {
    const state = this.lbState;
    if (!state) return;
    const upstreams = [{ name: state.spec.name, host: this.host, port: state.port }];
    for (const i of [...state.replicas.keys()].sort((a, b) => a - b)) {
      const replica = state.replicas.get(i);
      if (replica) upstreams.push({ name: replica.proc.name, host: this.host, port: replica.port });
    }
    this.lb.setUpstreams(upstreams);
  }

  private async allocatePort(): Promise<number> {
    const used = new Set<number>();
    for (const state of this.services.values()) {
      used.add(state.port);
      for (const replica of state.replicas.values()) used.add(replica.port);
    }
    const lbPort = this.lb.address()?.port;
    if (lbPort !== undefined) used.add(lbPort);
    for (let attempt = 0; attempt < 10; attempt++) {
      const port = await this.allocate();
      if (!used.has(port)) return port;
    }
    throw new UpstreamError("port allocator kept returning ports already in use", "port_allocation");
  }

  private serialize<T>(state: ServiceState, fn: () => Promise<T>): Promise<T> {
    const run = state.queue.then(fn, fn);
    // The queue only orders operations; each caller still receives its own failure.
    state.queue = run.catch(() => undefined);
    return run;
  }

  private ensureStarted(): void {
    if (this.phase !== "started")
      throw new ConflictError(`local executor is ${this.phase === "idle" ? "not started" : "stopped"}`);
  }

  private locate(target: string): Located | undefined {
    const state = this.services.get(target);
    if (state) return { state, proc: state.base, port: state.port };
    for (const candidate of this.services.values()) {
      const prefix = `${candidate.spec.name}-replica-`;
      if (!target.startsWith(prefix)) continue;
      const replica = candidate.replicas.get(Number(target.slice(prefix.length)));
      if (replica && replica.proc.name === target) return { state: candidate, proc: replica.proc, port: replica.port };
    }
    return undefined;
  }

  private mustLocate(target: string): Located {
    const found = this.locate(target);
    if (!found) throw new NotFoundError(`unknown target "${target}" (managed: ${this.targets().join(", ") || "none"})`);
    return found;
  }

  private instances(): { proc: ManagedProcess; state: ServiceState; replica: boolean }[] {
    const list: { proc: ManagedProcess; state: ServiceState; replica: boolean }[] = [];
    for (const state of this.services.values()) {
      list.push({ proc: state.base, state, replica: false });
      for (const i of [...state.replicas.keys()].sort((a, b) => a - b)) {
        const replica = state.replicas.get(i);
        if (replica) list.push({ proc: replica.proc, state, replica: true });
      }
    }
    return list;
  }

  private replicaNames(state: ServiceState): string[] {
    return [...state.replicas.keys()].sort((a, b) => a - b).map((i) => replicaName(state.spec.name, i));
  }

  private allProcs(): ManagedProcess[] {
    return this.instances().map((i) => i.proc);
  }

  private lbStatus(): string {
    return this.lb.running ? "running" : this.phase === "idle" ? "created" : "exited";
  }

  private killAllNow(): void {
    for (const proc of this.allProcs()) proc.killNow();
  }
}

export function replicaName(base: string, index: number): string {
  return `${base}-replica-${index}`;
}

/** Stable per name, like a container id that survives `docker restart`. */
function shortId(name: string): string {
  return createHash("sha256").update(name).digest("hex").slice(0, 12);
}

/** "local/buggy-app:v2" follows a rollback to "local/buggy-app:v1"; other image strings are left alone. */
function retag(image: string, from: string, to: string): string {
  return image.endsWith(`:${from}`) ? `${image.slice(0, -from.length)}${to}` : image;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
