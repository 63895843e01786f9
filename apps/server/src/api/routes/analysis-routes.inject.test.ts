import type { AnalyzeResponse, CostSummary, Hypothesis, TokenUsage } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { NotFoundError } from "../../shared/errors.js";
import { AS_DEFAULT, AS_P2, fake, injectApp } from "../test-inject-app.js";

/** Seed 001/002 analysis routes in-process: the copilot envelope, and the key's project reaching the engine. */

let app: FastifyInstance;
afterEach(() => app?.close());

const answer: AnalyzeResponse = {
  request_id: "req_1",
  timestamp: "2026-03-02T08:00:00Z",
  latency_ms: 12,
  result: {
    hypothesis: "request cache never evicted",
    confidence: 0.8,
    next_actions: [],
    commands: [],
    citations: [],
    related_incidents: [],
    action: "RESTART",
    hypotheses: [],
  },
  metadata: {
    tools_used: [],
    runbooks_retrieved: 0,
    cache_hit: false,
    latency_ms: 12,
    provider: "builtin",
    providers_failed: [],
  },
};

const hypothesis: Hypothesis = {
  id: "h1",
  incident_id: "INC-1",
  claim: "memory leak",
  description: "heap grows without bound",
  confidence_score: 0.8,
  confidence_lower: 0.7,
  confidence_upper: 0.9,
  rank: 1,
  supporting_evidence: [],
  contradicting_evidence: [],
  user_feedback: null,
  created_at: "2026-03-02T08:00:00Z",
};

const usage: TokenUsage = {
  total_requests: 0,
  total_tokens: 0,
  total_cost_usd: 0,
  breakdown_by_type: [],
  timeline: [],
  by_provider: [],
  cache_hits: 0,
  start_date: "2026-03-01",
  end_date: "2026-03-02",
};

const cost: CostSummary = {
  overall_stats: { total_requests: 0, total_cost_usd: 0, avg_cost_per_request: 0 },
  cache_stats: {
    total_incidents: 0,
    incidents_with_hypotheses: 0,
    cache_hit_rate: 0,
    potential_savings: 0,
    cache_hits: 0,
  },
  most_expensive_incidents: [],
  recommendations: [],
  days: 7,
};

describe("analysis routes (inject)", () => {
  it("POST /api/v1/analyze answers the copilot's analysis", async () => {
    app = await injectApp({ analysis: fake("analysis", { copilot: { analyze: async () => answer } }) });
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/analyze",
      headers: AS_DEFAULT,
      payload: { incident_description: "checkout pods restart every few minutes" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ request_id: "req_1", result: { action: "RESTART" } });
  });

  it("POST /api/v1/analyze: seed 001's envelope for a missing key (401) and a bad field (400)", async () => {
    app = await injectApp();
    const none = await app.inject({ method: "POST", url: "/api/v1/analyze", payload: {} });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "Invalid or missing API key" } });
    const short = await app.inject({
      method: "POST",
      url: "/api/v1/analyze",
      headers: AS_DEFAULT,
      payload: { incident_description: "short" },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ code: "INVALID_REQUEST", details: { field: "incident_description" } });
    const id = await app.inject({
      method: "POST",
      url: "/api/v1/analyze",
      headers: AS_DEFAULT,
      payload: { incident_description: "checkout pods restart every few minutes", incident_id: "nope" },
    });
    expect(id.statusCode).toBe(400);
    expect(id.json().error.details).toEqual({ field: "incident_id" });
  });

  it("hypotheses, token usage and cost summary are read from the key's project", async () => {
    const projects: string[] = [];
    const seen =
      <T>(value: T) =>
      async (p: string) => {
        projects.push(p);
        return value;
      };
    app = await injectApp({
      analysis: fake("analysis", {
        hypotheses: seen([hypothesis]),
        tokenUsage: seen(usage),
        costSummary: seen(cost),
      }),
    });
    const h = await app.inject({ url: "/api/v1/incidents/INC-1/hypotheses", headers: AS_P2 });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toEqual([hypothesis]);
    const u = await app.inject({ url: "/api/v1/analytics/token-usage?start_date=2026-03-01", headers: AS_P2 });
    expect(u.statusCode).toBe(200);
    const c = await app.inject({ url: "/api/v1/analytics/cost-summary?days=7", headers: AS_P2 });
    expect(c.json()).toMatchObject({ days: 7 });
    expect(projects).toEqual(["p2", "p2", "p2"]);
  });

  it("no hypotheses: the incident must exist in the key's project, by id or INC-n reference", async () => {
    const projects: string[] = [];
    const asked: string[] = [];
    app = await injectApp({
      analysis: fake("analysis", {
        hypotheses: async (_p, id) => {
          asked.push(id);
          return id === "uuid-9" ? [hypothesis] : [];
        },
      }),
      incidentResource: fake("incidentResource", {
        idOf: async (p, id) => {
          projects.push(p);
          if (id === "INC-404") throw new NotFoundError("incident INC-404 not found");
          return id === "INC-9" ? "uuid-9" : id;
        },
      }),
    });
    const none = await app.inject({ url: "/api/v1/incidents/plain/hypotheses", headers: AS_P2 });
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual([]);
    const byRef = await app.inject({ url: "/api/v1/incidents/INC-9/hypotheses", headers: AS_P2 });
    expect(byRef.json()).toEqual([hypothesis]);
    const unknown = await app.inject({ url: "/api/v1/incidents/INC-404/hypotheses", headers: AS_P2 });
    expect(unknown.statusCode).toBe(404);
    expect(projects).toEqual(["p2", "p2", "p2"]);
    expect(asked).toEqual(["plain", "INC-9", "uuid-9", "INC-404"]);
  });

  it("analytics: a bad date or range is a 4xx naming the field, never a 500", async () => {
    app = await injectApp();
    const date = await app.inject({ url: "/api/v1/analytics/token-usage?start_date=yesterday", headers: AS_DEFAULT });
    expect(date.statusCode).toBe(422);
    expect(date.json().detail[0].loc).toEqual(["query", "start_date"]);
    const range = await app.inject({
      url: "/api/v1/analytics/token-usage?start_date=2026-03-05&end_date=2026-03-01",
      headers: AS_DEFAULT,
    });
    expect(range.statusCode).toBe(400);
    expect(range.json().detail).toContain("start_date");
    const days = await app.inject({ url: "/api/v1/analytics/cost-summary?days=0", headers: AS_DEFAULT });
    expect(days.statusCode).toBe(422);
    expect(days.json().detail[0].loc).toEqual(["query", "days"]);
    const none = await app.inject({ url: "/api/v1/analytics/cost-summary" });
    expect(none.statusCode).toBe(401);
  });
});
