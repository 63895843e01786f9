import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { UpstreamError } from "../../shared/errors.js";
import { httpGet, isHealthyStatus } from "./http-get.js";
import type { ExecutorLogger } from "./local-executor-options.js";
import { errorText } from "./managed-process.js";

export interface Upstream {
  name: string;
  host: string;
  port: number;
}

export interface UpstreamView extends Upstream {
  healthy: boolean;
  /** False while the executor drains it (restart, scale-down). */
  enabled: boolean;
}

export interface Traffic {
  /** Bytes sent to the upstream (what the instance received). */
  rx: number;
  /** Bytes the upstream answered with. */
  tx: number;
}

export interface LoadBalancerOptions {
  host: string;
  /** 0 = ephemeral. */
  port: number;
  healthPath: string;
  logger: ExecutorLogger;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  proxyTimeoutMs?: number;
}

interface Attempt {
  tried: Set<string>;
  count: number;
  bodyless: boolean;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
// Safe to replay on another upstream after a connection failure (nginx's proxy_next_upstream default).
const RETRIABLE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Round-robin HTTP reverse proxy with active (periodic) and passive (connection error) health checks. */
export class LoadBalancer {
  private upstreams: UpstreamView[] = [];
  private readonly traffic = new Map<string, Traffic>();
  private readonly totals: Traffic = { rx: 0, tx: 0 };
  private cursor = 0;
  private server: Server | null = null;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 32 });
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  private bound: { host: string; port: number } | null = null;
  startedAt: number | null = null;

  constructor(private readonly opts: LoadBalancerOptions) {}

  async start(): Promise<{ host: string; port: number }> {
    if (this.server) throw new UpstreamError("load balancer already started", "lb_state");
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err) =>
        reject(
          new UpstreamError(`load balancer cannot listen on ${this.opts.host}:${this.opts.port}: ${errorText(err)}`),
        ),
      );
      server.listen(this.opts.port, this.opts.host, resolve);
    });
    server.on("error", (err) => this.opts.logger.error({ err: errorText(err) }, "load balancer server error"));
    this.server = server;
    const address = server.address() as AddressInfo;
    this.bound = { host: this.opts.host, port: address.port };
    this.startedAt = Date.now();
    this.timer = setInterval(() => void this.checkAll(), this.opts.healthIntervalMs ?? 1000);
    this.timer.unref();
    this.opts.logger.info({ host: this.opts.host, port: address.port }, "load balancer listening");
    return this.bound;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const server = this.server;
    this.server = null;
    this.startedAt = null;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
    this.agent.destroy();
  }

  get running(): boolean {
    return this.server !== null;
  }

  address(): { host: string; port: number } | null {
    return this.bound;
  }

  /** Replaces the pool; entries that stay (same name and address) keep their health state. */
  setUpstreams(list: Upstream[]): void {
    this.upstreams = list.map((u) => {
      const existing = this.upstreams.find((e) => e.name === u.name && e.host === u.host && e.port === u.port);
      return existing ?? { ...u, healthy: true, enabled: true };
    });
  }

  /** Drains (false) or re-admits (true) an upstream; re-admission trusts the caller's readiness check. */
  setEnabled(name: string, enabled: boolean): void {
    const upstream = this.upstreams.find((u) => u.name === name);
    if (!upstream) return;
    upstream.enabled = enabled;
    if (enabled) upstream.healthy = true;
  }

  markDown(name: string, reason: string): void {
    const upstream = this.upstreams.find((u) => u.name === name);
    if (upstream?.healthy) {
      upstream.healthy = false;
      this.opts.logger.warn({ upstream: name, reason }, "upstream marked unhealthy");
    }
  }

  view(): UpstreamView[] {
    return this.upstreams.map((u) => ({ ...u }));
  }

  trafficOf(name: string): Traffic {
    return { ...(this.traffic.get(name) ?? { rx: 0, tx: 0 }) };
  }

  /** Client-side totals: what the load balancer itself received and sent. */
  totalTraffic(): Traffic {
    return { ...this.totals };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const head = requestHeadBytes(req);
    this.totals.rx += head;
    req.on("data", (chunk: Buffer) => {
      this.totals.rx += chunk.length;
    });
    const bodyless =
      req.headers["transfer-encoding"] === undefined &&
      (req.headers["content-length"] === undefined || req.headers["content-length"] === "0");
    this.forward(req, res, { tried: new Set(), count: 0, bodyless });
  }

  private forward(req: IncomingMessage, res: ServerResponse, attempt: Attempt): void {
    const upstream = this.pick(attempt.tried);
    if (!upstream) {
      this.fail(res, 502, "bad_gateway", "no healthy upstream");
      return;
    }
    attempt.tried.add(upstream.name);
    const first = attempt.count === 0;
    attempt.count += 1;
    const stats = this.statsFor(upstream.name);
    stats.rx += requestHeadBytes(req);

    const upReq = request({
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: forwardHeaders(req),
      agent: this.agent,
    });
    let timedOut = false;
    upReq.setTimeout(this.opts.proxyTimeoutMs ?? 60_000, () => {
      timedOut = true;
      upReq.destroy(new Error("upstream timed out"));
    });
    let responded = false;

    upReq.on("response", (upRes) => {
      responded = true;
      const headBytes = responseHeadBytes(upRes);
      stats.tx += headBytes;
      this.totals.tx += headBytes;
      upRes.on("data", (chunk: Buffer) => {
        stats.tx += chunk.length;
        this.totals.tx += chunk.length;
      });
      upRes.on("error", () => res.destroy());
      res.writeHead(upRes.statusCode ?? 502, { ...stripHopByHop(upRes.headers), "x-aegis-upstream": upstream.name });
      upRes.pipe(res);
    });

    upReq.on("error", (err: NodeJS.ErrnoException) => {
      if (responded || res.destroyed) {
        res.destroy();
        return;
      }
      if (timedOut) {
        this.fail(res, 504, "gateway_timeout", `upstream ${upstream.name} did not answer in time`);
        return;
      }
      const canRetry =
        attempt.bodyless && RETRIABLE_METHODS.has(req.method ?? "") && attempt.count <= this.upstreams.length;
      // A pooled keep-alive socket the upstream just closed is not a sign of ill health: retry the same one.
      if (upReq.reusedSocket && err.code === "ECONNRESET" && canRetry) {
        attempt.tried.delete(upstream.name);
      } else {
        this.markDown(upstream.name, errorText(err));
      }
      if (canRetry) {
        this.forward(req, res, attempt);
        return;
      }
      this.fail(res, 502, "bad_gateway", `upstream ${upstream.name} failed: ${errorText(err)}`);
    });

    res.on("close", () => {
      if (!res.writableFinished) upReq.destroy();
    });
    if (first) {
      req.on("data", (chunk: Buffer) => {
        stats.rx += chunk.length;
      });
      req.pipe(upReq);
    } else {
      upReq.end();
    }
  }

  private pick(tried: Set<string>): UpstreamView | undefined {
    const n = this.upstreams.length;
    for (let i = 0; i < n; i++) {
      const index = (this.cursor + i) % n;
      const candidate = this.upstreams[index];
      if (candidate?.enabled && candidate.healthy && !tried.has(candidate.name)) {
        this.cursor = (index + 1) % n;
        return candidate;
      }
    }
    return undefined;
  }

  private async checkAll(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await Promise.all(this.upstreams.filter((u) => u.enabled).map((u) => this.check(u)));
    } finally {
      this.checking = false;
    }
  }

  private async check(upstream: UpstreamView): Promise<void> {
    let healthy = false;
    let detail: string;
    try {
      const answer = await httpGet(
        upstream.host,
        upstream.port,
        this.opts.healthPath,
        this.opts.healthTimeoutMs ?? 800,
      );
      healthy = isHealthyStatus(answer.status);
      detail = `HTTP ${answer.status}`;
    } catch (err) {
      detail = errorText(err);
    }
    // The executor may have drained it while the check was in flight.
    if (!upstream.enabled || healthy === upstream.healthy) return;
    upstream.healthy = healthy;
    if (healthy) this.opts.logger.info({ upstream: upstream.name }, "upstream healthy again");
    else this.opts.logger.warn({ upstream: upstream.name, reason: detail }, "upstream marked unhealthy");
  }

  private statsFor(name: string): Traffic {
    let stats = this.traffic.get(name);
    if (!stats) {
      stats = { rx: 0, tx: 0 };
      this.traffic.set(name, stats);
    }
    return stats;
  }

  private fail(res: ServerResponse, status: number, error: string, message: string): void {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ error, message });
    this.totals.tx += body.length;
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }
}

function stripHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(key)) out[key] = value;
  }
  return out;
}

function forwardHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  const headers = stripHopByHop(req.headers);
  const client = req.socket.remoteAddress ?? "";
  const prior = req.headers["x-forwarded-for"];
  headers["x-forwarded-for"] = prior ? `${prior}, ${client}` : client;
  return headers;
}

function rawHeaderBytes(raw: string[]): number {
  let bytes = 2;
  for (let i = 0; i + 1 < raw.length; i += 2) bytes += (raw[i]?.length ?? 0) + (raw[i + 1]?.length ?? 0) + 4;
  return bytes;
}

// Heads are estimated from the parsed message: exact enough for traffic charts, no socket accounting needed.
function requestHeadBytes(req: IncomingMessage): number {
  return `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`.length + rawHeaderBytes(req.rawHeaders);
}

function responseHeadBytes(res: IncomingMessage): number {
  return `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}\r\n`.length + rawHeaderBytes(res.rawHeaders);
}
