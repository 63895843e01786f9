import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { Monitor } from "../../monitor/create-monitor.js";
import { fake, injectApp } from "../test-inject-app.js";

/** `/health` in-process: public (no key, no project), seed 000's shape plus the monitor's state. */

let app: FastifyInstance;
afterEach(() => app?.close());

const monitor = fake("monitor", {
  service: { engine: { serversTracked: 3, recordCount: 10, warmupRecords: 5 } } as unknown as Monitor["service"],
});

describe("health routes (inject)", () => {
  it("answers without a key", async () => {
    app = await injectApp({ monitor, executor: fake("executor", { kind: "local" }) });
    const res = await app.inject({ url: "/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: "ok",
      version: "0.0.0-test",
      ws_clients: 0,
      executor: "local",
      monitor: { servers_tracked: 3, warmup_complete: true },
    });
  });

  it("ignores a wrong key and query strings (public path)", async () => {
    app = await injectApp({ monitor, executor: fake("executor", { kind: "local" }) });
    const res = await app.inject({ url: "/health?x=1", headers: { "x-api-key": "wrong" } });
    expect(res.statusCode).toBe(200);
  });

  it("rejects what is not a health read (another method: 405 with Allow, as FastAPI answers; never a 500)", async () => {
    app = await injectApp({ monitor, executor: fake("executor", { kind: "local" }) });
    const res = await app.inject({ method: "POST", url: "/health" });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe("GET");
    expect(res.json()).toMatchObject({ code: "method_not_allowed", detail: "Method Not Allowed" });
  });
});
