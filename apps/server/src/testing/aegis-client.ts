import type { IncidentResult, WsFrame } from "@aegis/contracts";
import WebSocket from "ws";

/** A small HTTP + WebSocket client for integration tests. */
export class AegisClient {
  constructor(
    readonly url: string,
    readonly apiKey: string,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        "x-api-key": this.apiKey,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, body: json as Record<string, unknown> & unknown[] };
  }

  async incident(id: string): Promise<IncidentResult | null> {
    const r = await this.request("GET", `/incidents/${encodeURIComponent(id)}`);
    return r.status === 200 ? (r.body as unknown as IncidentResult) : null;
  }

  /** Poll until the incident satisfies `done` (or throw after timeoutMs). */
  async waitFor(id: string, done: (i: IncidentResult) => boolean, timeoutMs = 30_000, pollMs = 50) {
    const end = Date.now() + timeoutMs;
    let last: IncidentResult | null = null;
    while (Date.now() < end) {
      try {
        last = await this.incident(id);
        if (last && done(last)) return last;
      } catch {
        // server restarting: keep polling
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    throw new Error(
      `timed out waiting for incident ${id}; last state: ${JSON.stringify(last?.status)} ${JSON.stringify(last?.timeline?.map((t) => t.status))}`,
    );
  }

  /** Connect to /ws and collect every frame. */
  async socket(): Promise<{
    frames: WsFrame[];
    ws: WebSocket;
    waitFor: (p: (f: WsFrame) => boolean, ms?: number) => Promise<WsFrame>;
  }> {
    const ws = new WebSocket(`${this.url.replace("http", "ws")}/ws`, { headers: { "x-api-key": this.apiKey } });
    const frames: WsFrame[] = [];
    const waiters: { p: (f: WsFrame) => boolean; resolve: (f: WsFrame) => void }[] = [];
    ws.on("message", (raw) => {
      const f = JSON.parse(raw.toString()) as WsFrame;
      frames.push(f);
      for (const w of [...waiters]) {
        if (w.p(f)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(f);
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const waitFor = (p: (f: WsFrame) => boolean, ms = 20_000) =>
      new Promise<WsFrame>((resolve, reject) => {
        const found = frames.find(p);
        if (found) return resolve(found);
        const t = setTimeout(() => reject(new Error("timed out waiting for a frame")), ms);
        waiters.push({
          p,
          resolve: (f) => {
            clearTimeout(t);
            resolve(f);
          },
        });
      });
    return { frames, ws, waitFor };
  }
}
