import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { ConflictError, UpstreamError } from "../../shared/errors.js";
import { httpGet, isHealthyStatus } from "./http-get.js";
import { LineRing } from "./line-ring.js";
import type { ExecutorLogger } from "./local-executor-options.js";
import { portStillInUse } from "./port-in-use.js";

/** How long a start waits for its port to be released by an orphan of a previous run. */
const ORPHAN_GRACE_MS = 3000;

export type InstanceStatus = "created" | "starting" | "running" | "restarting" | "stopping" | "exited";

/** Everything needed to (re)spawn one instance; rebuilt per start so rollbacks can change the env. */
export interface LaunchConfig {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  host: string;
  port: number;
  healthPath: string;
  readyWhen: "healthy" | "responding";
  readyTimeoutMs: number;
  gracefulStopMs: number;
}

export interface ManagedProcessOptions {
  name: string;
  logger: ExecutorLogger;
  logLines: number;
  logFile?: string;
  /** Crash or external kill; the executor records it and decides nothing on its own. */
  onUnexpectedExit: (proc: ManagedProcess) => void;
}

const READY_POLL_MS = 100;
const KILL_WAIT_MS = 5000;
const ERROR_LOG_LINES = 20;

/** One supervised child process: spawn, wait-for-ready, graceful stop, output ring. Never restarts by itself. */
export class ManagedProcess {
  readonly name: string;
  readonly output: LineRing;
  status: InstanceStatus = "created";
  pid: number | null = null;
  startedAt: number | null = null;
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private file: WriteStream | null = null;
  private fileFailed = false;

  constructor(private readonly opts: ManagedProcessOptions) {
    this.name = opts.name;
    this.output = new LineRing(opts.logLines);
  }

  get alive(): boolean {
    return this.child !== null;
  }

  /** Spawns and waits until ready; on failure the child is stopped and a typed error thrown. */
  async start(launch: LaunchConfig, phase: "starting" | "restarting" = "starting"): Promise<void> {
    if (this.child) throw new ConflictError(`${this.name} is already running (pid ${this.pid})`);
    // A leftover listener on our port would answer our health checks and fake readiness. One left by a
    // killed previous run of this server (an orphaned demo app) exits by itself within a second or so.
    if (await portStillInUse(launch.host, launch.port, ORPHAN_GRACE_MS)) {
      this.status = "exited";
      throw new ConflictError(`cannot start ${this.name}: port ${launch.port} is already in use`);
    }
    this.status = phase;
    this.exitCode = null;
    this.exitSignal = null;
    this.expectingExit = false;
    const child = await this.spawnChild(launch);
    this.note(`started pid ${child.pid} on port ${launch.port}`);
    try {
      await this.waitReady(child, launch);
    } catch (err) {
      await this.stop(launch.gracefulStopMs);
      this.status = "exited";
      throw err;
    }
    this.status = "running";
  }

  async restart(launch: LaunchConfig): Promise<void> {
    this.status = "restarting";
    await this.stop(launch.gracefulStopMs, "restarting");
    await this.start(launch, "restarting");
  }

  /** SIGTERM, then SIGKILL after gracefulMs. Resolves once the process is gone. */
  async stop(gracefulMs: number, phase: "stopping" | "restarting" = "stopping"): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    this.status = phase;
    const exited = this.exited;
    child.kill("SIGTERM");
    const gone = await Promise.race([exited.then(() => true), sleep(gracefulMs, false)]);
    if (gone) return;
    this.note(`no exit ${gracefulMs} ms after SIGTERM, sending SIGKILL`);
    child.kill("SIGKILL");
    const killed = await Promise.race([exited.then(() => true), sleep(KILL_WAIT_MS, false)]);
    if (!killed) throw new UpstreamError(`${this.name} (pid ${child.pid}) survived SIGKILL`, "stop_failed");
  }

  /** Synchronous last resort for process 'exit' handlers. */
  killNow(): void {
    this.child?.kill("SIGKILL");
  }

  tail(lines: number): string[] {
    return this.output.tail(lines);
  }

  close(): void {
    this.file?.end();
    this.file = null;
  }

  private async spawnChild(launch: LaunchConfig): Promise<ChildProcess> {
    const child = spawn(launch.command, launch.args, {
      env: launch.env,
      cwd: launch.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      detached: false,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
    } catch (err) {
      this.status = "exited";
      throw new UpstreamError(`failed to spawn ${this.name} (${launch.command}): ${errorText(err)}`, "spawn_failed");
    }
    this.child = child;
    this.pid = child.pid ?? null;
    this.startedAt = Date.now();
    child.on("error", (err) =>
      this.opts.logger.error({ target: this.name, err: errorText(err) }, "child process error"),
    );
    for (const [source, stream] of [
      ["stdout", child.stdout],
      ["stderr", child.stderr],
    ] as const) {
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        this.output.write(source, chunk);
        this.appendFile(chunk);
      });
    }
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.child = null;
        this.status = "exited";
        this.exitCode = code;
        this.exitSignal = signal;
        this.output.flush();
        this.note(`pid ${child.pid} exited (code ${code}, signal ${signal})`);
        resolve();
        if (!this.expectingExit) this.opts.onUnexpectedExit(this);
      });
    });
    return child;
  }

  private async waitReady(child: ChildProcess, launch: LaunchConfig): Promise<void> {
    const deadline = Date.now() + launch.readyTimeoutMs;
    let last = "no answer yet";
    while (Date.now() < deadline) {
      if (this.child !== child) {
        const lastOutput = this.tail(ERROR_LOG_LINES)
          .filter((line) => !line.includes("[aegis]"))
          .at(-1);
        throw new UpstreamError(
          `${this.name} exited during startup (code ${this.exitCode}, signal ${this.exitSignal})` +
            (lastOutput ? `: ${lastOutput.slice(0, 300)}` : ""),
          "start_failed",
          { logs: this.tail(ERROR_LOG_LINES) },
        );
      }
      try {
        const timeout = Math.max(50, Math.min(1000, deadline - Date.now()));
        const answer = await httpGet(launch.host, launch.port, launch.healthPath, timeout);
        if (launch.readyWhen === "responding" || isHealthyStatus(answer.status)) return;
        last = `HTTP ${answer.status} ${answer.body.slice(0, 200)}`;
      } catch (err) {
        last = errorText(err);
      }
      await sleep(READY_POLL_MS);
    }
    throw new UpstreamError(
      `${this.name} not ready after ${launch.readyTimeoutMs} ms (last health check: ${last})`,
      "start_timeout",
      { logs: this.tail(ERROR_LOG_LINES) },
    );
  }

  private note(message: string): void {
    const line = `${new Date().toISOString()} [aegis] ${this.name}: ${message}`;
    this.output.push(line);
    this.appendFile(`${line}\n`);
  }

  private appendFile(text: string): void {
    if (!this.opts.logFile || this.fileFailed) return;
    if (!this.file) {
      this.file = createWriteStream(this.opts.logFile, { flags: "a" });
      // Reported once; the in-memory ring still serves logs().
      this.file.on("error", (err) => {
        this.fileFailed = true;
        this.opts.logger.error(
          { target: this.name, file: this.opts.logFile, err: errorText(err) },
          "log file write failed",
        );
      });
    }
    this.file.write(text);
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
