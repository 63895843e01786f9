import { type ClientRequest, get, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { prepareEnv, startInProcess, TEST_KEY } from "../testing/test-server.js";

const LIMIT = 3;

/**
 * Seed 003: "WebSocket connections: 10 concurrent connections per API key" (here AEGIS_STREAMS_PER_KEY=3),
 * on the real server: one budget across `/ws` (seed 000 and seed 002 clients), the metrics WebSocket and
 * the SSE log stream; the next WebSocket is closed with 1008 and a reason, the next SSE answered 429
 * with Retry-After; a closed stream frees its slot.
 */
describe("concurrent streams per API key", () => {
  let stop: () => Promise<void>;
  let base: string;
  let wsBase: string;
  const open: { close(): void }[] = [];

  beforeAll(async () => {
    const started = await startInProcess(
      await prepareEnv({ AEGIS_DEMO_APP: "false", AEGIS_STREAMS_PER_KEY: String(LIMIT) }),
    );
    stop = started.stop;
    base = started.server.url;
    wsBase = base.replace(/^http/, "ws");
  }, 60_000);
  afterAll(async () => {
    for (const s of open) s.close();
    await stop?.();
  });

  function socket(path: string, key: string | null = TEST_KEY): WebSocket {
    const ws = new WebSocket(`${wsBase}${path}`, key ? { headers: { "x-api-key": key } } : {});
    open.push(ws);
    return ws;
  }
  /** Resolves when the socket has received its first message, or with its close code and reason. */
  function outcome(ws: WebSocket): Promise<{ open: true } | { code: number; reason: string }> {
    return new Promise((r) => {
      ws.once("message", () => r({ open: true }));
      ws.once("close", (code, reason) => r({ code, reason: reason.toString() }));
    });
  }
  function sse(key = TEST_KEY): Promise<{ res: IncomingMessage; req: ClientRequest; body: Promise<string> }> {
    return new Promise((resolve, reject) => {
      const req = get(`${base}/api/v1/monitoring/logs/stream`, { headers: { "x-api-key": key } }, (res) => {
        const body = new Promise<string>((r) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => r(text));
          res.on("close", () => r(text));
        });
        resolve({ res, req, body });
      });
      req.on("error", reject);
      open.push({ close: () => req.destroy() });
    });
  }

  it("refuses the stream beyond the limit on any endpoint, and frees a slot on close", async () => {
    const first = [socket("/ws"), socket("/api/v1/monitoring/ws/metrics")];
    for (const ws of first) expect(await outcome(ws)).toEqual({ open: true });
    const stream = await sse();
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers["content-type"]).toContain("text/event-stream");

    const extraWs = await outcome(socket("/ws"));
    expect(extraWs).toEqual({
      code: 1008,
      reason: `too many connections: at most ${LIMIT} concurrent streams per API key`,
    });
    const extraMetrics = await outcome(socket("/api/v1/monitoring/ws/metrics"));
    expect(extraMetrics).toMatchObject({ code: 1008 });
    const extraSse = await sse();
    expect(extraSse.res.statusCode).toBe(429);
    expect(extraSse.res.headers["retry-after"]).toBe("5");
    expect(JSON.parse(await extraSse.body)).toMatchObject({
      success: false,
      error: expect.stringContaining(`at most ${LIMIT}`),
      details: { retry_after: 5 },
      request_id: expect.any(String),
    });

    // Another key is not affected: the seed-002 client connects anonymously, then authenticates as itself.
    const created = await fetch(`${base}/api/v1/projects/default/api-keys`, {
      method: "POST",
      headers: { "x-api-key": TEST_KEY, "content-type": "application/json" },
      body: JSON.stringify({ name: "other", role: "member" }),
    });
    expect(created.status).toBe(201);
    const otherKey = ((await created.json()) as { key: string }).key;
    const other = socket("/ws", null);
    await new Promise((r) => other.once("open", r));
    const connected = new Promise<{ type: string }>((r) => other.once("message", (m) => r(JSON.parse(m.toString()))));
    other.send(JSON.stringify({ type: "connect", token: otherKey }));
    expect(await connected).toMatchObject({ type: "connected" });

    // The full key authenticating a seed-002 connection is refused at its `connect`.
    const late = socket("/ws", null);
    await new Promise((r) => late.once("open", r));
    const lateMsgs: { type: string; code?: string }[] = [];
    late.on("message", (m) => lateMsgs.push(JSON.parse(m.toString())));
    const closed = new Promise<number>((r) => late.once("close", (c) => r(c)));
    late.send(JSON.stringify({ type: "connect", token: TEST_KEY }));
    expect(await closed).toBe(1008);
    expect(lateMsgs).toContainEqual(expect.objectContaining({ type: "error", code: "too_many_connections" }));

    // Closing one (the SSE stream) frees a slot: a WebSocket is accepted again, then the budget is full again.
    stream.req.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect(await outcome(socket("/ws"))).toEqual({ open: true });
    expect(await outcome(socket("/ws"))).toMatchObject({ code: 1008 });
    first[0]?.close();
    await new Promise((r) => setTimeout(r, 200));
    const again = await sse();
    expect(again.res.statusCode).toBe(200);
  }, 60_000);
});
