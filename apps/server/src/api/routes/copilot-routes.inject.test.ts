import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/config.js";
import type { DependencyReport } from "../../integrations/dependency-health.js";
import { NotFoundError, TimeoutError } from "../../shared/errors.js";
import { AS_DEFAULT, AS_P2, fake, injectApp } from "../test-inject-app.js";

/** Seed 001 tickets, webhooks and health in-process: bodies, the key's project, the shared hourly budget. */

let app: FastifyInstance;
afterEach(() => app?.close());

const ticket = (project: string, id: string) => ({
  ticket_id: id,
  ticket_url: `http://aegis/api/v1/tickets/${id}`,
  created_at: "2026-03-02T08:00:00.000Z",
  incident_id: null,
  title: `for ${project}`,
  description: "d",
  priority: "high",
  assignee: null,
  sink: "local",
});

const report = (status: DependencyReport["status"]): DependencyReport => ({
  status,
  dependencies: {
    database: status === "unhealthy" ? "unhealthy" : "healthy",
    vector_db: "not_configured",
    llm_api: "healthy",
    executor: "healthy",
  },
  checks: { database: { status: "healthy", latency_ms: 1.2, detail: "pglite" } },
});

async function copilotApp(perHour = "500", health: DependencyReport = report("healthy")) {
  const projects: string[] = [];
  return {
    projects,
    app: await injectApp({
      config: loadConfig({ AEGIS_COPILOT_PER_HOUR: perHour }),
      tickets: fake("tickets", {
        create: async (p) => {
          projects.push(p);
          return ticket(p, "TICKET-1");
        },
        get: async (_p, id) => {
          throw new NotFoundError(`ticket ${id} not found`);
        },
      }),
      webhooks: fake("webhooks", {
        list: async (p) => {
          projects.push(p);
          return [];
        },
      }),
      dependencyHealth: fake("dependencyHealth", { report: async () => health }),
    }),
  };
}

const body = { title: "Checkout down", description: "500s since 2pm", priority: "critical", incident_id: "INC-1" };

describe("seed 001 copilot routes", () => {
  it("POST /api/v1/tickets answers 201 with the seed's fields, in the key's project, with rate-limit headers", async () => {
    const c = await copilotApp();
    app = c.app;
    const r = await app.inject({ method: "POST", url: "/api/v1/tickets", headers: AS_P2, payload: body });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toEqual({
      ticket_id: "TICKET-1",
      ticket_url: "http://aegis/api/v1/tickets/TICKET-1",
      created_at: "2026-03-02T08:00:00.000Z",
    });
    expect(c.projects).toEqual(["p2"]);
    expect(r.headers["x-ratelimit-limit"]).toBe("500");
    expect(r.headers["x-ratelimit-remaining"]).toBe("499");
    expect(Number(r.headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000 + 3500);
  });

  it("refuses a bad priority with 400 INVALID_REQUEST and an unknown ticket with 404 NOT_FOUND", async () => {
    app = (await copilotApp()).app;
    const bad = await app.inject({
      method: "POST",
      url: "/api/v1/tickets",
      headers: AS_DEFAULT,
      payload: { ...body, priority: "urgent" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: "INVALID_REQUEST", details: { field: "priority" } } });
    const nf = await app.inject({ method: "GET", url: "/api/v1/tickets/NOPE-1", headers: AS_DEFAULT });
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toEqual({ error: { code: "NOT_FOUND", message: "ticket NOPE-1 not found" } });
  });

  it("lets only owners and admins register webhooks (403 FORBIDDEN for a member)", async () => {
    app = (await copilotApp()).app;
    const r = await app.inject({
      method: "POST",
      url: "/api/v1/webhooks",
      headers: AS_P2,
      payload: { url: "https://example.com/hook", events: ["incident.created"], secret: "0123456789abcdef" },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toEqual({ error: { code: "FORBIDDEN", message: "role member may not manage webhooks" } });
  });

  it("refuses a webhook without a strong secret or with an unknown event", async () => {
    app = (await copilotApp()).app;
    const r = await app.inject({
      method: "POST",
      url: "/api/v1/webhooks",
      headers: AS_DEFAULT,
      payload: { url: "https://example.com/hook", events: ["incident.exploded"], secret: "short" },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe("INVALID_REQUEST");
  });

  it("counts tickets, webhooks and health against ONE hourly budget per principal, then 429 with retry_after", async () => {
    app = (await copilotApp("3")).app;
    expect(
      (await app.inject({ method: "POST", url: "/api/v1/tickets", headers: AS_DEFAULT, payload: body })).statusCode,
    ).toBe(201);
    expect((await app.inject({ method: "GET", url: "/api/v1/webhooks", headers: AS_DEFAULT })).statusCode).toBe(200);
    const third = await app.inject({ method: "GET", url: "/api/v1/health", headers: AS_DEFAULT });
    expect(third.headers["x-ratelimit-remaining"]).toBe("0");
    const r = await app.inject({ method: "GET", url: "/api/v1/webhooks", headers: AS_DEFAULT });
    expect(r.statusCode).toBe(429);
    expect(r.json()).toEqual({
      error: {
        code: "RATE_LIMIT_EXCEEDED",
        message: "Rate limit of 3 requests/hour exceeded",
        retry_after: expect.any(Number),
      },
    });
    expect(r.json().error.retry_after).toBeGreaterThan(3500);
    expect((await app.inject({ method: "GET", url: "/api/v1/webhooks", headers: AS_P2 })).statusCode).toBe(200);
  });

  it("GET /api/v1/health: seed 001's shape plus the probes; 503 when the database is down", async () => {
    app = (await copilotApp()).app;
    const r = await app.inject({ method: "GET", url: "/api/v1/health", headers: AS_DEFAULT });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: "healthy",
      version: "0.0.0-test",
      timestamp: expect.any(String),
      dependencies: { database: "healthy", vector_db: "not_configured" },
      checks: { database: { latency_ms: 1.2 } },
    });
    await app.close();
    app = (await copilotApp("500", report("unhealthy"))).app;
    const down = await app.inject({ method: "GET", url: "/api/v1/health", headers: AS_DEFAULT });
    expect(down.statusCode).toBe(503);
    expect(down.json().status).toBe("unhealthy");
  });

  it("POST /api/v1/analyze: its own 100/hour budget and the seed's 504 with partial results, from the one handler", async () => {
    const partial = { tools_completed: ["log_search"], tools_failed: ["metrics_query"] };
    app = await injectApp({
      config: loadConfig({ AEGIS_COPILOT_ANALYZE_PER_HOUR: "1" }),
      analysis: fake("analysis", {
        copilot: {
          analyze: async () => {
            throw new TimeoutError("Request exceeded 30 second timeout", { partial_results: partial });
          },
        },
      }),
    });
    const payload = { incident_description: "API gateway returning 500 errors since 2pm" };
    const slow = await app.inject({ method: "POST", url: "/api/v1/analyze", headers: AS_DEFAULT, payload });
    expect(slow.statusCode).toBe(504);
    expect(slow.json()).toEqual({
      error: { code: "TIMEOUT", message: "Request exceeded 30 second timeout", partial_results: partial },
    });
    expect(slow.headers["x-ratelimit-limit"]).toBe("1");
    const limited = await app.inject({ method: "POST", url: "/api/v1/analyze", headers: AS_DEFAULT, payload });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({
      code: "RATE_LIMIT_EXCEEDED",
      message: "Rate limit of 1 requests/hour exceeded",
    });
  });
});
