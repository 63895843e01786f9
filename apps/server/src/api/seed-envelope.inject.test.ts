import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { NotFoundError } from "../shared/errors.js";
import { createLogger } from "../shared/logger.js";
import { installAuth } from "./auth.js";
import { installErrorHandler } from "./error-handler.js";
import { installRateLimits } from "./rate-limits.js";
import { declareSeed, type Seed } from "./seed-envelope.js";
import { AS_DEFAULT, AS_P2, twoProjects } from "./test-inject-app.js";

/** The one error handler writes each seed's envelope: a 404, a validation error and a 429 per seed. */

let app: FastifyInstance;
afterEach(() => app?.close());

async function seedApp(): Promise<FastifyInstance> {
  const a = Fastify({ logger: false });
  a.setValidatorCompiler(validatorCompiler);
  a.setSerializerCompiler(serializerCompiler);
  installErrorHandler(a, createLogger("silent"));
  installAuth(a, twoProjects);
  await installRateLimits(a);
  for (const seed of ["000", "001", "002", "003", "004"] as Seed[]) {
    await a.register(async (s) => {
      declareSeed(s, seed);
      const r = s.withTypeProvider<ZodTypeProvider>();
      r.get(`/s${seed}/missing`, () => {
        throw new NotFoundError("widget w-1 not found");
      });
      r.get(`/s${seed}/db-down`, () => {
        // As Drizzle throws it: the driver's error (terminated by the server) as the cause.
        const driver = Object.assign(new Error("terminating connection due to administrator command"), {
          code: "57P01",
        });
        throw new Error("Failed query: select 1", { cause: driver });
      });
      r.post(`/s${seed}/body`, { schema: { body: z.object({ name: z.string() }) } }, () => ({ ok: true }));
      r.get(`/s${seed}/limited`, { config: { rateLimit: { max: 1, timeWindow: 60_000 } } }, () => ({ ok: true }));
    });
  }
  await a.ready();
  return a;
}

const get = (url: string, headers = AS_DEFAULT) => app.inject({ method: "GET", url, headers });
const post = (url: string) => app.inject({ method: "POST", url, headers: AS_DEFAULT, payload: { name: 7 } });

async function limited(seed: Seed) {
  expect((await get(`/s${seed}/limited`)).statusCode).toBe(200);
  const r = await get(`/s${seed}/limited`);
  expect(r.statusCode).toBe(429);
  expect(r.headers["x-ratelimit-limit"]).toBe("1");
  expect(r.headers["x-ratelimit-remaining"]).toBe("0");
  expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
  return r;
}

describe("error envelopes per seed", () => {
  it("a database that cannot be reached is a 503 (retry), not an internal error, in every seed's envelope", async () => {
    app = await seedApp();
    for (const seed of ["000", "001", "002", "003", "004"] as Seed[]) {
      const r = await get(`/s${seed}/db-down`);
      expect(r.statusCode, seed).toBe(503);
      expect(r.body, seed).toMatch(/database is unreachable/);
    }
  });

  it("000 keeps {error, code, detail}: a FastAPI client finds the sentence in `detail` when there is no context", async () => {
    app = await seedApp();
    expect((await get("/s000/missing")).json()).toEqual({
      error: "widget w-1 not found",
      code: "not_found",
      detail: "widget w-1 not found",
    });
    const v = await post("/s000/body");
    expect(v.statusCode).toBe(422);
    expect(v.json()).toMatchObject({ code: "validation_error", detail: [{ loc: ["body", "name"] }] });
    expect((await limited("000")).json()).toMatchObject({
      code: "rate_limited",
      detail: expect.stringMatching(/^Rate limit exceeded/),
    });
  });

  it("001 answers {error: {code, message, details}} with validation as 400 and retry_after on 429", async () => {
    app = await seedApp();
    const nf = await get("/s001/missing");
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toEqual({ error: { code: "NOT_FOUND", message: "widget w-1 not found" } });
    const v = await post("/s001/body");
    expect(v.statusCode).toBe(400);
    expect(v.json()).toMatchObject({ error: { code: "INVALID_REQUEST", details: { field: "name" } } });
    const unauth = await app.inject({ method: "GET", url: "/s001/missing" });
    expect(unauth.statusCode).toBe(401);
    expect(unauth.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    const r = await limited("001");
    const body = r.json();
    expect(body).toMatchObject({
      error: { code: "RATE_LIMIT_EXCEEDED", message: "Rate limit of 1 requests/minute exceeded" },
    });
    expect(body.error.retry_after).toBeGreaterThan(0);
    // Seed 001 documents the reset as a unix time.
    const reset = Number(r.headers["x-ratelimit-reset"]);
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 61);
  });

  it.each(["002", "004"] as Seed[])("%s answers FastAPI's {detail}", async (seed) => {
    app = await seedApp();
    const nf = await get(`/s${seed}/missing`);
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toEqual({ detail: "widget w-1 not found" });
    const v = await post(`/s${seed}/body`);
    expect(v.statusCode).toBe(422);
    expect(v.json()).toEqual({ detail: [expect.objectContaining({ loc: ["body", "name"] })] });
    const r = await limited(seed);
    expect(r.json()).toEqual({
      detail: expect.stringMatching(/^Rate limit exceeded\. Try again in \d+ seconds\.$/),
      retry_after: expect.any(Number),
    });
    // Seconds left, as seed 002's example shows.
    expect(Number(r.headers["x-ratelimit-reset"])).toBeLessThanOrEqual(60);
  });

  it("003 answers {success: false, error, details, request_id}", async () => {
    app = await seedApp();
    const nf = await get("/s003/missing");
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toEqual({
      success: false,
      error: "widget w-1 not found",
      details: {},
      request_id: expect.any(String),
    });
    const v = await post("/s003/body");
    expect(v.statusCode).toBe(400);
    expect(v.json()).toMatchObject({ success: false, details: { issues: [{ loc: ["body", "name"] }] } });
    const r = await limited("003");
    expect(r.json()).toMatchObject({ success: false, details: { retry_after: expect.any(Number) } });
  });

  it("budgets are per principal: another principal still has its own", async () => {
    app = await seedApp();
    await limited("001");
    expect((await get("/s001/limited", AS_P2)).statusCode).toBe(200);
  });
});
