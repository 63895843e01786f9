import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AegisApiError } from "./aegis-api-error.js";
import { AegisClient } from "./aegis-client.js";

let server: Server;
let url: string;
const seen: { method?: string; url?: string; key?: string | string[]; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, key: req.headers["x-api-key"], body });
      res.setHeader("content-type", "application/json");
      if (req.url === "/incidents/missing") {
        res.statusCode = 404;
        return res.end(JSON.stringify({ error: "Not Found", code: "NOT_FOUND", detail: "no such incident" }));
      }
      if (req.url?.endsWith("/approve")) {
        res.statusCode = 409;
        return res.end(JSON.stringify({ error: "Conflict", code: "NOT_AWAITING_APPROVAL" }));
      }
      if (req.url === "/api/v1/analyze") {
        res.statusCode = 504;
        return res.end(JSON.stringify({ error: { code: "TIMEOUT", message: "too slow" } }));
      }
      if (req.url?.startsWith("/api/v1/runbooks/")) res.statusCode = 201;
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("AegisClient", () => {
  it("sends the key as X-API-Key and JSON bodies", async () => {
    const c = new AegisClient(url, "k1");
    await c.listIncidents({ limit: 5, status: "RESOLVED" });
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/incidents?limit=5&status=RESOLVED", key: "k1" });
    expect(await c.putRunbook("a/b", { title: "t", service: "s", body: "b" })).toMatchObject({ created: true });
    expect(seen.at(-1)).toMatchObject({ method: "PUT", url: "/api/v1/runbooks/a%2Fb" });
    expect(JSON.parse(seen.at(-1)?.body ?? "")).toEqual({ title: "t", service: "s", body: "b" });
  });

  it("throws AegisApiError with the status and the envelope, of either shape", async () => {
    const c = new AegisClient(url, "k1");
    const conflict = await c.approve("i1").catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(AegisApiError);
    expect(conflict).toMatchObject({
      status: 409,
      code: "NOT_AWAITING_APPROVAL",
      path: "/api/v1/incidents/i1/approve",
    });
    const timeout = await c.analyze({ incident_description: "a long enough description" }).catch((e: unknown) => e);
    expect(timeout).toMatchObject({ status: 504, code: "TIMEOUT" });
  });

  it("answers null for an unknown incident; the raw request never throws on a status", async () => {
    const c = new AegisClient(url);
    expect(await c.incident("missing")).toBeNull();
    expect(seen.at(-1)?.key).toBeUndefined();
    const r = await c.request("GET", "/incidents/missing");
    expect(r.status).toBe(404);
    expect(r.body.code).toBe("NOT_FOUND");
  });
});
