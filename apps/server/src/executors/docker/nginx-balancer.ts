import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { ConflictError, UpstreamError } from "../../shared/errors.js";
import { type NginxRelay, type NginxUpstream, renderNginxConfig } from "./nginx-config.js";

const run = promisify(execFile);

export interface NginxBalancerOptions {
  /** nginx executable (Debian: /usr/sbin/nginx). */
  binary: string;
  /** Directory of nginx.conf, pid, logs and temp paths. */
  dir: string;
  listenHost: string;
  listenPort: number;
  relay?: NginxRelay;
  startTimeoutMs?: number;
}

/**
 * The product's own nginx in front of a target and its replicas. Every change of upstreams writes a
 * candidate config, validates it with `nginx -t`, and only then replaces the live one and reloads
 * (SIGHUP to the master). A rejected candidate leaves the running config untouched and throws why.
 */
export class NginxBalancer {
  private child: ChildProcess | null = null;
  private output = "";
  private upstreams: NginxUpstream[] = [];
  private startedAtMs: number | null = null;
  readonly confPath: string;

  constructor(private readonly opts: NginxBalancerOptions) {
    this.confPath = join(opts.dir, "nginx.conf");
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | null {
    return this.running ? (this.child?.pid ?? null) : null;
  }

  get startedAt(): number | null {
    return this.running ? this.startedAtMs : null;
  }

  /** The upstreams of the config nginx is running with. */
  current(): NginxUpstream[] {
    return [...this.upstreams];
  }

  async start(upstreams: NginxUpstream[]): Promise<void> {
    if (this.child) throw new ConflictError("nginx already started");
    mkdirSync(this.opts.dir, { recursive: true });
    await this.stopOrphan();
    await this.writeValidated(upstreams);
    const child = spawn(
      this.opts.binary,
      ["-p", this.opts.dir, "-e", join(this.opts.dir, "error.log"), "-c", this.confPath],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    this.child = child;
    child.stdout?.on("data", (d) => this.keep(String(d)));
    child.stderr?.on("data", (d) => this.keep(String(d)));
    const spawnError = new Promise<never>((_, reject) =>
      child.once("error", (err) => reject(new UpstreamError(`nginx did not start: ${err.message}`, "lb_failed"))),
    );
    spawnError.catch(() => undefined);
    const end = Date.now() + (this.opts.startTimeoutMs ?? 10_000);
    while (!(await listening(this.opts.listenHost, this.opts.listenPort))) {
      if (child.exitCode !== null || Date.now() > end) {
        child.kill("SIGKILL");
        this.child = null;
        throw new UpstreamError(`nginx did not start listening: ${this.output.trim() || "no output"}`, "lb_failed");
      }
      await Promise.race([new Promise((r) => setTimeout(r, 50)), spawnError]);
    }
    this.startedAtMs = Date.now();
  }

  /** Rewrite the upstream pool, validate it, reload. Throws (keeping the old pool) when nginx rejects it. */
  async setUpstreams(upstreams: NginxUpstream[]): Promise<void> {
    const child = this.child;
    if (!child || !this.running) throw new ConflictError("nginx is not running");
    await this.writeValidated(upstreams);
    const pid = child.pid;
    const before = pid ? workersOf(pid) : null;
    if (!pid || !child.kill("SIGHUP")) {
      throw new UpstreamError("nginx reload failed: the master process did not accept SIGHUP", "lb_failed");
    }
    // The reload is done when the old workers are gone: until then they keep serving their open
    // keep-alive connections with the old pool. Bounded: a slow request in flight may hold one longer.
    const end = Date.now() + 5000;
    while (before && Date.now() < end) {
      const now = workersOf(pid);
      if (now === null || (now.some((w) => !before.includes(w)) && !now.some((w) => before.includes(w)))) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGQUIT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** Kill nginx at once (process exit without stop()). */
  killNow(): void {
    this.child?.kill("SIGKILL");
  }

  private async writeValidated(upstreams: NginxUpstream[]): Promise<void> {
    let text: string;
    try {
      text = renderNginxConfig({
        dir: this.opts.dir,
        listenHost: this.opts.listenHost,
        listenPort: this.opts.listenPort,
        upstreams,
        relay: this.opts.relay,
      });
    } catch (err) {
      throw new UpstreamError(`nginx configuration not written: ${(err as Error).message}`, "lb_config_rejected");
    }
    const candidate = `${this.confPath}.next`;
    writeFileSync(candidate, text);
    try {
      await run(this.opts.binary, [
        "-t",
        "-q",
        "-p",
        this.opts.dir,
        "-e",
        join(this.opts.dir, "error.log"),
        "-c",
        candidate,
      ]);
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new UpstreamError(
        `nginx -t rejected the new configuration, the previous one stays in service: ${(e.stderr || e.message).trim()}`,
        "lb_config_rejected",
      );
    }
    renameSync(candidate, this.confPath);
    this.upstreams = [...upstreams];
  }

  /** An nginx left by a product process that was killed (SIGKILL skips stop()) still holds the port. */
  private async stopOrphan(): Promise<void> {
    const pidFile = join(this.opts.dir, "nginx.pid");
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      return; // gone
    }
    if (!Number.isInteger(pid) || pid <= 1 || !cmdline.includes(this.opts.dir)) return;
    process.kill(pid, "SIGQUIT");
    const end = Date.now() + 5000;
    while (existsSync(`/proc/${pid}`) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    if (existsSync(`/proc/${pid}`)) process.kill(pid, "SIGKILL");
  }

  private keep(text: string): void {
    this.output = (this.output + text).slice(-4000);
  }

  /** The live configuration file's text (for diagnostics). */
  configText(): string {
    return existsSync(this.confPath) ? readFileSync(this.confPath, "utf8") : "";
  }
}

/** Worker pids of an nginx master (null where the kernel does not list a process's children). */
function workersOf(pid: number): number[] | null {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return null;
  }
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}
