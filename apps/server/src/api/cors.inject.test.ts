import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { predictionsView } from "../insights/predictions-view.js";
import { AS_DEFAULT, fake, injectApp } from "./test-inject-app.js";

const LISTED = "https://ops.example.com";
const STRANGER = "https://evil.example.net";

let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function corsApp(origins: string | undefined) {
  app = await injectApp({
    config: loadConfig(origins === undefined ? {} : { AEGIS_CORS_ORIGINS: origins }),
    monitor: fake("monitor", { service: { engine: { recordCount: 0, warmupRecords: 10 } } as never }),
    insights: fake("insights", { predictions: predictionsView }),
  });
  return app;
}

const preflight = (origin: string, method = "GET", headers = "x-api-key") => ({
  method: "OPTIONS" as const,
  url: "/api/v1/analytics/predictions",
  headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
});

describe("CORS (AEGIS_CORS_ORIGINS)", () => {
  it("answers a listed origin's preflight before authentication: 204, methods, headers, credentials", async () => {
    const a = await corsApp(`${LISTED}, http://localhost:5173`);
    const res = await a.inject(preflight(LISTED, "PUT", "x-api-key,content-type"));
    expect(res.statusCode).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe(LISTED);
    expect(res.headers["access-control-allow-credentials"]).toBe("true");
    expect(String(res.headers["access-control-allow-methods"])).toContain("PUT");
    const allowed = String(res.headers["access-control-allow-headers"]).toLowerCase();
    for (const h of ["x-api-key", "authorization", "content-type"]) expect(allowed).toContain(h);
    expect(res.headers["access-control-max-age"]).toBe("600");
    expect(String(res.headers.vary)).toContain("Origin");
    // The second listed origin too, reflected exactly.
    const local = await a.inject(preflight("http://localhost:5173"));
    expect(local.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
  });

  it("gives a refused origin no CORS header at all, on its preflight and on its request", async () => {
    const a = await corsApp(LISTED);
    const pre = await a.inject(preflight(STRANGER));
    expect(pre.statusCode).not.toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBeUndefined();
    expect(pre.headers["access-control-allow-credentials"]).toBeUndefined();
    const res = await a.inject({
      url: "/api/v1/analytics/predictions",
      headers: { ...AS_DEFAULT, origin: STRANGER },
    });
    expect(res.statusCode).toBe(200); // the server answers; the browser withholds it from the page
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  it("lets a listed origin read answers and errors (401, 404) with exposed headers", async () => {
    const a = await corsApp(LISTED);
    const ok = await a.inject({ url: "/api/v1/analytics/predictions", headers: { ...AS_DEFAULT, origin: LISTED } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ success: true });
    expect(ok.headers["access-control-allow-origin"]).toBe(LISTED);
    expect(ok.headers["access-control-allow-credentials"]).toBe("true");
    expect(String(ok.headers["access-control-expose-headers"])).toContain("Retry-After");
    const unauthorized = await a.inject({ url: "/api/v1/analytics/predictions", headers: { origin: LISTED } });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.json()).toMatchObject({ success: false });
    expect(unauthorized.headers["access-control-allow-origin"]).toBe(LISTED);
    const missing = await a.inject({ url: "/api/v1/nothing-here", headers: { ...AS_DEFAULT, origin: LISTED } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["access-control-allow-origin"]).toBe(LISTED);
  });

  it("refuses a preflight without Access-Control-Request-Method (400), and does nothing when no origin is listed", async () => {
    const a = await corsApp(LISTED);
    const bad = await a.inject({
      method: "OPTIONS",
      url: "/api/v1/analytics/predictions",
      headers: { origin: LISTED },
    });
    expect(bad.statusCode).toBe(400);
    await a.close();
    const none = await corsApp(undefined);
    const pre = await none.inject(preflight(LISTED));
    expect(pre.headers["access-control-allow-origin"]).toBeUndefined();
    const res = await none.inject({ url: "/api/v1/analytics/predictions", headers: { ...AS_DEFAULT, origin: LISTED } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("names the bad entry of AEGIS_CORS_ORIGINS", () => {
    expect(() => loadConfig({ AEGIS_CORS_ORIGINS: "https://ok.example.com,https://bad.example.com/path" })).toThrow(
      /AEGIS_CORS_ORIGINS/,
    );
  });
});
