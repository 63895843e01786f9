import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fastifyCookie from "@fastify/cookie";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../shared/logger.js";
import { installAuth } from "../auth.js";
import { installErrorHandler } from "../error-handler.js";
import { AS_DEFAULT, twoProjects } from "../test-inject-app.js";
import { registerCockpitRoutes } from "./cockpit-routes.js";

/** The cockpit at `/` (a built dist in a temp dir): public page and assets, SPA fallback under /ui/, API untouched. */

let dist: string;
let app: FastifyInstance;

beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), "cockpit-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), "<!doctype html><div id=root></div>");
  writeFileSync(join(dist, "assets", "index-abc123.js"), "console.log(1)");
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));
afterEach(() => app?.close());

async function appWith(root: string): Promise<FastifyInstance> {
  const a = Fastify();
  installErrorHandler(a, createLogger("silent"));
  await a.register(fastifyCookie);
  installAuth(a, twoProjects);
  a.get("/incidents", () => []);
  await registerCockpitRoutes(a, root);
  return a;
}

describe("cockpit routes", () => {
  it("serves the page at / without a credential, with a content security policy and no caching", async () => {
    app = await appWith(dist);
    const res = await app.inject({ url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.body).toContain("<div id=root>");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  });

  it("answers every client route under /ui/ with the page (the app routes itself)", async () => {
    app = await appWith(dist);
    for (const url of ["/ui", "/ui/live", "/ui/incidents/INC-4?state=resolved"]) {
      const res = await app.inject({ url });
      expect([url, res.statusCode, res.body]).toEqual([url, 200, "<!doctype html><div id=root></div>"]);
    }
  });

  it("serves hashed assets publicly and for good; an unknown asset is a 404, not the page", async () => {
    app = await appWith(dist);
    const js = await app.inject({ url: "/assets/index-abc123.js" });
    expect(js.statusCode).toBe(200);
    expect(js.headers["content-type"]).toMatch(/javascript/);
    expect(js.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const missing = await app.inject({ url: "/assets/nope.js" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "not_found" });
  });

  it("leaves the API closed: no credential is still a 401, and only GET/HEAD of the page are public", async () => {
    app = await appWith(dist);
    expect((await app.inject({ url: "/incidents" })).statusCode).toBe(401);
    expect((await app.inject({ url: "/incidents", headers: AS_DEFAULT })).statusCode).toBe(200);
    expect((await app.inject({ method: "POST", url: "/ui/live" })).statusCode).toBe(401);
    expect((await app.inject({ url: "/uix" })).statusCode).toBe(401);
  });

  it("says how to build the cockpit when it is not built", async () => {
    app = await appWith(join(dist, "absent"));
    const res = await app.inject({ url: "/" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: "the cockpit is not built: run `npm run build`", code: "cockpit_not_built" });
  });
});
