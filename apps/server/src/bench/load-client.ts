import { Agent, request } from "node:http";

export interface LoadResponse {
  status: number;
  /** `Retry-After` in seconds, when the server sent one. */
  retryAfterSecs: number | null;
}

/**
 * The storm benches' HTTP client: `node:http` over kept-alive sockets, the response body read and dropped.
 * The load generator runs on the same two cores as the server it measures, so it must cost little: `fetch`
 * (undici behind WHATWG streams) used 0.69 ms of CPU per POST, about what the server spends accepting the
 * alert, while this client uses ~0.2 ms (ADR 0025, eighth round). wrk measures `/webhook`'s ceiling; this
 * one sends the storm, which needs per-request control (distinct bodies, backpressure retries).
 */
export class LoadClient {
  private readonly agent: Agent;

  constructor(
    private readonly headers: Record<string, string>,
    sockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  post(url: string, body: string): Promise<LoadResponse> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname + u.search,
          method: "POST",
          agent: this.agent,
          headers: { ...this.headers, "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            const retry = res.headers["retry-after"];
            resolve({ status: res.statusCode ?? 0, retryAfterSecs: retry === undefined ? null : Number(retry) });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
