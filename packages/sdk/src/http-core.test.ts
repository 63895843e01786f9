import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AegisApiError, InvalidRequestError, RateLimitError, ServerError } from "./aegis-api-error.js";
import { HttpCore } from "./http-core.js";

/** A real local server answering from a script per path; records every request it saw. */
type Answer = (req: IncomingMessage, res: ServerResponse) => void;
const scripts = new Map<string, Answer[]>();
const seen: { method?: string; url?: string; body: string }[] = [];
let server: Server;
let url: string;

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
/** Drops the connection without an answer: the client sees a network error. */
const hangUp: Answer = (req) => req.socket.destroy();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, body });
      const next = scripts.get(req.url ?? "")?.shift() ?? json(500, { error: "unscripted", code: "internal" });
      next(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  scripts.clear();
  seen.length = 0;
});

/** A core whose waits are recorded and skipped. */
function recording(retry = {}) {
  const waits: number[] = [];
  const http = new HttpCore(url, {
    apiKey: "k",
    retry,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { http, waits };
}

describe("HttpCore retries", () => {
  it("waits the Retry-After seconds of a 429, then answers the 200 (real timer)", async () => {
    scripts.set("/api/v1/analyze", [
      json(
        429,
        { error: { code: "RATE_LIMIT_EXCEEDED", message: "slow down", retry_after: 1 } },
        { "retry-after": "1" },
      ),
      json(200, { ok: true }),
    ]);
    const http = new HttpCore(url, { apiKey: "k" });
    const started = Date.now();
    const body = await http.call<{ ok: boolean }>("POST", "/api/v1/analyze", { incident_description: "x".repeat(12) });
    expect(body).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ["POST", "/api/v1/analyze"],
      ["POST", "/api/v1/analyze"],
    ]);
    // The same body both times.
    expect(seen[0]?.body).toBe(seen[1]?.body);
  });

  it("reads Retry-After as an HTTP date, and the seed envelope's retry_after when there is no header", async () => {
    const at = new Date(Date.now() + 3000).toUTCString();
    scripts.set("/a", [json(503, { detail: "busy" }, { "retry-after": at }), json(200, [1])]);
    scripts.set("/b", [
      json(429, { success: false, error: "limited", details: { retry_after: 2 }, request_id: "r" }),
      json(200, [2]),
    ]);
    const { http, waits } = recording();
    expect(await http.call("GET", "/a")).toEqual([1]);
    expect(await http.call("GET", "/b")).toEqual([2]);
    // An HTTP date has one-second precision.
    expect(waits[0]).toBeGreaterThan(1000);
    expect(waits[0]).toBeLessThanOrEqual(3000);
    expect(waits[1]).toBe(2000);
  });

  it("does not wait for a Retry-After beyond maxRetryAfterMs: throws RateLimitError carrying it", async () => {
    scripts.set("/api/v1/tickets", [
      json(
        429,
        {
          error: {
            code: "RATE_LIMIT_EXCEEDED",
            message: "Rate limit of 500 requests/hour exceeded",
            retry_after: 1800,
          },
        },
        { "retry-after": "1800" },
      ),
    ]);
    const { http, waits } = recording();
    const e = await http.call("POST", "/api/v1/tickets", {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e).toBeInstanceOf(AegisApiError);
    expect(e).toMatchObject({ status: 429, code: "RATE_LIMIT_EXCEEDED", retryAfter: 1800 });
    expect((e as Error).message).toContain("Rate limit of 500 requests/hour exceeded");
    expect(waits).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it("gives up after maxAttempts with growing, capped, jittered backoffs", async () => {
    scripts.set("/x", [
      json(503, { error: "down", code: "unavailable" }),
      json(503, {}),
      json(503, {}),
      json(503, {}),
      json(503, {}),
    ]);
    const { http, waits } = recording({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 });
    const e = await http.call("GET", "/x").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServerError);
    expect(seen).toHaveLength(4);
    expect(waits).toHaveLength(3);
    const caps = [100, 200, 250];
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(caps[i] as number);
    });
  });

  it("never retries other statuses", async () => {
    scripts.set("/y", [json(500, { error: "boom", code: "internal" }), json(200, {})]);
    const { http, waits } = recording();
    await expect(http.call("GET", "/y")).rejects.toBeInstanceOf(ServerError);
    expect(waits).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it("sends an idempotent request again after a network error, but never a POST", async () => {
    scripts.set("/get", [hangUp, json(200, { again: true })]);
    scripts.set("/post", [hangUp, json(200, {})]);
    const { http, waits } = recording();
    expect(await http.call("GET", "/get")).toEqual({ again: true });
    expect(waits).toHaveLength(1);
    await expect(http.call("POST", "/post", {})).rejects.toThrow();
    expect(seen.map((s) => s.url)).toEqual(["/get", "/get", "/post"]);
  });

  it("maxAttempts 1 answers the 429 as it came", async () => {
    scripts.set("/z", [json(429, { detail: "Too many requests", retry_after: 5 }, { "retry-after": "5" })]);
    const { http } = recording({ maxAttempts: 1 });
    const r = await http.request("GET", "/z");
    expect(r.status).toBe(429);
    expect(seen).toHaveLength(1);
  });

  it("refuses a nonsensical policy", () => {
    expect(() => new HttpCore(url, { retry: { maxAttempts: 0 } })).toThrow(/maxAttempts/);
    expect(() => new HttpCore(url, { retry: { baseDelayMs: -1 } })).toThrow(/baseDelayMs/);
  });
});

describe("HttpCore errors", () => {
  it("throws the status's class with code and message from each seed's envelope", async () => {
    scripts.set("/s0", [
      json(422, {
        error: "Validation failed",
        code: "validation_error",
        detail: [{ loc: ["body", "logs"], msg: "Field required", type: "missing" }],
      }),
    ]);
    scripts.set("/s1", [
      json(400, {
        error: {
          code: "INVALID_REQUEST",
          message: "incident_description must be between 10 and 5000 characters",
          details: { field: "incident_description", provided_length: 5 },
        },
      }),
    ]);
    scripts.set("/s2", [json(404, { detail: "Incident not found" })]);
    scripts.set("/s3", [json(403, { success: false, error: "admin role required", details: {}, request_id: "req-9" })]);
    scripts.set("/txt", [(_q, res) => res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway")]);
    const { http } = recording();
    const errs = await Promise.all(
      ["/s0", "/s1", "/s2", "/s3", "/txt"].map((p) => http.call("GET", p).catch((e: AegisApiError) => e)),
    );
    expect(errs.map((e) => [e.name, e.status, e.code, e.serverMessage])).toEqual([
      ["InvalidRequestError", 422, "validation_error", "body.logs: Field required"],
      ["InvalidRequestError", 400, "INVALID_REQUEST", "incident_description must be between 10 and 5000 characters"],
      ["NotFoundError", 404, undefined, "Incident not found"],
      ["ForbiddenError", 403, undefined, "admin role required"],
      ["ServerError", 502, undefined, "bad gateway"],
    ]);
    expect(errs[1]).toBeInstanceOf(InvalidRequestError);
    expect((errs[1] as AegisApiError).body).toMatchObject({ error: { details: { field: "incident_description" } } });
    expect(errs[3]?.requestId).toBe("req-9");
    expect(errs[0]?.message).toBe("GET /s0 → 422 validation_error: body.logs: Field required");
  });
});
