import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { AS_DEFAULT, AS_P2, injectApp } from "./test-inject-app.js";

let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe("seed 003's rate limit", () => {
  it("one hourly budget per principal across seed 003's routes, 429 in its envelope with retry_after", async () => {
    app = await injectApp({ config: loadConfig({ AEGIS_ONCALL_PER_HOUR: "2" }) });
    const first = await app.inject({ url: "/api/v1/agent/status", headers: AS_DEFAULT });
    expect(first.headers["x-ratelimit-limit"]).toBe("2");
    expect(first.headers["x-ratelimit-remaining"]).toBe("1");
    // Another seed 003 route draws on the same budget.
    await app.inject({ url: "/api/v1/dashboard/stats", headers: AS_DEFAULT });
    const over = await app.inject({ url: "/api/v1/settings", headers: AS_DEFAULT });
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ success: false, details: { retry_after: expect.any(Number) } });
    expect(Number(over.headers["retry-after"])).toBeGreaterThan(0);
    // Another principal has its own budget; other seeds' routes are not counted.
    expect((await app.inject({ url: "/api/v1/agent/status", headers: AS_P2 })).statusCode).not.toBe(429);
    expect((await app.inject({ url: "/incidents", headers: AS_DEFAULT })).headers["x-ratelimit-limit"]).toBeUndefined();
  });

  it("0 switches it off", async () => {
    app = await injectApp({ config: loadConfig({ AEGIS_ONCALL_PER_HOUR: "0" }) });
    for (let i = 0; i < 3; i++) {
      const r = await app.inject({ url: "/api/v1/agent/status", headers: AS_DEFAULT });
      expect(r.statusCode).not.toBe(429);
      expect(r.headers["x-ratelimit-limit"]).toBeUndefined();
    }
  });
});
