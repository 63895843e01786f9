import { type AddressInfo, createServer, type Socket } from "node:net";
import { afterEach, expect, it } from "vitest";
import { probeIntegration } from "./integration-probes.js";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

const UP = JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ value: [0, "1"] }] } });

/**
 * A Prometheus-like server that keeps connections alive after answering, and drops one without an answer
 * the first time a second request arrives on it (as a server that restarted or timed the connection out does).
 */
async function droppingServer(): Promise<{ url: string; dropped: () => number }> {
  let dropped = 0;
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    let answered = 0;
    socket.on("data", (chunk) => {
      if (!chunk.toString("latin1").includes("\r\n\r\n")) return;
      if (answered > 0 && dropped === 0) {
        dropped++;
        socket.destroy();
        return;
      }
      answered++;
      socket.write(
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(UP)}\r\nconnection: keep-alive\r\n\r\n${UP}`,
      );
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  closers.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, dropped: () => dropped };
}

it("a kept-alive connection the server dropped is retried on a fresh one, not reported as the system's error", async () => {
  const prom = await droppingServer();
  const config = { kind: "prometheus" as const, config: { url: prom.url } };
  // A connection goes back to the pool a moment after its answer: a few probes in a row reuse one.
  for (let k = 0; k < 4; k++) {
    const r = await probeIntegration(config, 2000);
    expect(r, `probe ${k}`).toMatchObject({ ok: true, detail: "query up: 1 targets, 1 up", error: null });
  }
  expect(prom.dropped()).toBe(1);
});

it("a server that is gone is still reported as refused", async () => {
  const prom = await droppingServer();
  for (const c of closers.splice(0)) c();
  const r = await probeIntegration({ kind: "prometheus", config: { url: prom.url } }, 2000);
  expect(r).toMatchObject({ ok: false, error: "ECONNREFUSED" });
});
