import type { AnalyzeResponse, CostSummary, Hypothesis, TokenUsage } from "@aegis/contracts";
import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  const te = await prepareEnv({ AEGIS_DEMO_APP: "false" });
  ({ client, stop } = await startInProcess(te));
});
afterAll(async () => stop?.());

const analyze = (body: unknown, headers: Record<string, string> = {}) =>
  client.request("POST", "/api/v1/analyze", body, headers);

describe("POST /api/v1/analyze (seed 001) with the builtin chain", () => {
  it("answers with the documented shape", async () => {
    const r = await analyze({
      incident_description:
        "API gateway returning 500 errors since 2pm: connection pool exhausted, db timeout after deploy v2.3.5",
      incident_id: "INC-4242",
      context: { service: "api-gateway", environment: "production", severity: "critical" },
      options: { include_commands: true, max_citations: 5 },
    });
    expect(r.status).toBe(200);
    const body = r.body as unknown as AnalyzeResponse;
    expect(body.request_id).toMatch(/^req_[0-9a-f]{16}$/);
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.latency_ms).toBeGreaterThanOrEqual(0);
    expect(body.result.hypothesis.length).toBeGreaterThan(10);
    expect(body.result.confidence).toBeGreaterThan(0);
    expect(body.result.confidence).toBeLessThanOrEqual(1);
    expect(body.result.next_actions[0]).toEqual({
      action: expect.any(String),
      priority: expect.stringMatching(/^(high|medium|low)$/),
      estimated_time: expect.any(String),
      rationale: expect.any(String),
    });
    expect(body.result.commands.length).toBeGreaterThan(0);
    expect(body.result.commands.some((c) => c.safe_to_run)).toBe(true);
    for (const c of body.result.commands)
      expect(Object.keys(c).sort()).toEqual(["command", "description", "safe_to_run"]);
    expect(Array.isArray(body.result.related_incidents)).toBe(true);
    expect(body.metadata).toMatchObject({ cache_hit: false, provider: "builtin", providers_failed: [] });
    expect(body.metadata.tools_used).toContain("similar_incidents");

    // Stored per incident: the seed 002 hypotheses resource.
    const h = await client.request("GET", "/api/v1/incidents/INC-4242/hypotheses");
    expect(h.status).toBe(200);
    const list = h.body as unknown as Hypothesis[];
    expect(list[0]).toMatchObject({ incident_id: "INC-4242", rank: 1, user_feedback: null, provider: "builtin" });
    expect(list[0]?.confidence_lower).toBeLessThanOrEqual(list[0]?.confidence_score ?? 0);
  });

  it("honours include_commands=false and max_citations", async () => {
    const r = await analyze({
      incident_description: "Memory leak: heap grows 10MB per request until OOM kill, traffic flat",
      options: { include_commands: false, max_citations: 0, include_related_incidents: false },
    });
    const body = r.body as unknown as AnalyzeResponse;
    expect(body.result.commands).toEqual([]);
    expect(body.result.citations).toEqual([]);
    expect(body.result.related_incidents).toEqual([]);
  });

  it("reuses the analysis of an identical normalised signature and counts the hit", async () => {
    const description =
      "Disk full on node at 2025-12-20T00:45:00Z: no space left on device, writes failing for pid 48213";
    const first = (await analyze({ incident_description: description })).body as unknown as AnalyzeResponse;
    const again = (
      await analyze({
        incident_description: description
          .replace("2025-12-20T00:45:00Z", "2025-12-21T09:15:12Z")
          .replace("48213", "51007"),
      })
    ).body as unknown as AnalyzeResponse;
    expect(first.metadata.cache_hit).toBe(false);
    expect(again.metadata.cache_hit).toBe(true);
    expect(again.result.hypothesis).toBe(first.result.hypothesis);
    const cost = (await client.request("GET", "/api/v1/analytics/cost-summary")).body as unknown as CostSummary;
    expect(cost.cache_stats.cache_hits).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ["too short", { incident_description: "500s" }, 4],
    ["too long", { incident_description: "x".repeat(5001) }, 5001],
    ["missing", {}, 0],
  ])("refuses a description that is %s with the documented 400 body", async (_, body, length) => {
    const r = await analyze(body);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: {
        code: "INVALID_REQUEST",
        message: "incident_description must be between 10 and 5000 characters",
        details: { field: "incident_description", provided_length: length },
      },
    });
  });

  it("refuses other invalid fields in the seed's envelope", async () => {
    const r = await analyze({ incident_description: "API gateway returning 500 errors", incident_id: "12345" });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: "INVALID_REQUEST", details: { field: "incident_id" } } });
  });

  it("answers 401 in the seed's envelope", async () => {
    const res = await fetch(`${client.url}/api/v1/analyze`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ incident_description: "API gateway returning 500 errors" }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "Invalid or missing API key" } });
  });
});

describe("analytics (seed 002)", () => {
  it("token-usage has the documented shape", async () => {
    const r = await client.request("GET", "/api/v1/analytics/token-usage");
    expect(r.status).toBe(200);
    const u = r.body as unknown as TokenUsage;
    expect(u).toMatchObject({
      total_requests: expect.any(Number),
      total_tokens: expect.any(Number),
      total_cost_usd: expect.any(Number),
      breakdown_by_type: expect.any(Array),
      timeline: expect.any(Array),
    });
    expect(u.cache_hits).toBeGreaterThanOrEqual(0);
  });

  it("token-usage validates its dates", async () => {
    expect((await client.request("GET", "/api/v1/analytics/token-usage?start_date=soon")).status).toBe(422);
    expect(
      (await client.request("GET", "/api/v1/analytics/token-usage?start_date=2026-01-10&end_date=2026-01-01")).status,
    ).toBe(400);
  });

  it("cost-summary has the documented shape", async () => {
    const r = await client.request("GET", "/api/v1/analytics/cost-summary?days=30");
    expect(r.status).toBe(200);
    const c = r.body as unknown as CostSummary;
    expect(Object.keys(c.overall_stats).sort()).toEqual(["avg_cost_per_request", "total_cost_usd", "total_requests"]);
    expect(c.cache_stats).toMatchObject({
      total_incidents: expect.any(Number),
      incidents_with_hypotheses: expect.any(Number),
      cache_hit_rate: expect.any(Number),
      potential_savings: expect.any(Number),
    });
    expect(c.days).toBe(30);
    expect((await client.request("GET", "/api/v1/analytics/cost-summary?days=0")).status).toBe(422);
  });

  it("hypotheses of an unknown incident are a 404", async () => {
    expect((await client.request("GET", "/api/v1/incidents/nope/hypotheses")).status).toBe(404);
  });
});
