import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OpscopilotClient } from "./opscopilot-client.js";

/** A real local server: answers per path from a queue (default 200 `{}`), and records every request. */
const answers = new Map<string, { status: number; body: unknown; headers?: Record<string, string> }[]>();
const seen: { method?: string; url?: string; key?: string; auth?: string; body: unknown }[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      seen.push({
        method: req.method,
        url: req.url,
        key: req.headers["x-api-key"] as string | undefined,
        auth: req.headers.authorization,
        body: raw ? JSON.parse(raw) : null,
      });
      const a = answers.get(req.url ?? "")?.shift() ?? { status: 200, body: {} };
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  answers.clear();
  seen.length = 0;
});

const analysis = {
  request_id: "req_1",
  timestamp: "2025-12-20T00:57:50Z",
  latency_ms: 7,
  result: { hypothesis: "pool exhausted", confidence: 0.8, next_actions: [], commands: [], citations: [] },
  metadata: { tools_used: ["runbook_search"], runbooks_retrieved: 1, cache_hit: false },
};

describe("OpscopilotClient", () => {
  it("writes the seed's snake_case body from camelCase arguments and flattens the result", async () => {
    answers.set("/api/v1/analyze", [{ status: 200, body: analysis }]);
    const client = new OpscopilotClient({ apiKey: "k", baseUrl: `${url}/` });
    const result = await client.analyze({
      incidentDescription: "API returning 500 errors",
      incidentId: "INC-7",
      context: { service: "api-gateway", environment: "production" },
      options: { includeCommands: false, maxCitations: 2, includeRelatedIncidents: false },
    });
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/v1/analyze", key: "k" });
    expect(seen[0]?.body).toEqual({
      incident_description: "API returning 500 errors",
      incident_id: "INC-7",
      context: { service: "api-gateway", environment: "production" },
      options: { include_commands: false, max_citations: 2, include_related_incidents: false },
    });
    expect(result.hypothesis).toBe("pool exhausted");
    expect(result.request_id).toBe("req_1");
    expect(result.metadata.tools_used).toEqual(["runbook_search"]);
    expect(result.response).toEqual(analysis);
  });

  it("maps the other seed 001 calls to their routes and bodies", async () => {
    answers.set("/api/v1/webhooks", [
      { status: 201, body: { id: "w1" } },
      { status: 200, body: { webhooks: [{ id: "w1" }] } },
    ]);
    const client = new OpscopilotClient({ token: "jwt", baseUrl: url });
    await client.searchRunbooks({ query: "db timeout", topK: 3 });
    await client.createTicket({ title: "t", description: "d", priority: "low", incidentId: "INC-1" });
    await client.listIncidents({ service: "api", status: "resolved" });
    await client.getIncident("INC-1/x");
    await client.registerWebhook({ url: "https://h", events: ["incident.created"], secret: "s".repeat(16) });
    expect(await client.listWebhooks()).toEqual([{ id: "w1" }]);
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ["POST", "/api/v1/runbooks/search", { query: "db timeout", top_k: 3 }],
      ["POST", "/api/v1/tickets", { title: "t", description: "d", priority: "low", incident_id: "INC-1" }],
      ["GET", "/api/v1/incidents?limit=20&offset=0&service=api&status=resolved", null],
      ["GET", "/api/v1/incidents/INC-1%2Fx", null],
      ["POST", "/api/v1/webhooks", { url: "https://h", events: ["incident.created"], secret: "s".repeat(16) }],
      ["GET", "/api/v1/webhooks", null],
    ]);
    expect(seen.every((s) => s.auth === "Bearer jwt" && s.key === undefined)).toBe(true);
  });

  it("unwraps seed 003 envelopes of the incident actions", async () => {
    answers.set("/api/v1/incidents/INC-2/acknowledge?user=ana", [
      { status: 200, body: { success: true, message: "ok", data: { state: "acknowledged", acknowledged_by: "ana" } } },
    ]);
    answers.set("/api/v1/incidents/INC-2/timeline", [
      {
        status: 200,
        body: { success: true, message: "1", data: { incident_id: "INC-2", items: [{ status: "RECEIVED" }] } },
      },
    ]);
    const client = new OpscopilotClient({ apiKey: "k", baseUrl: url });
    expect(await client.incidents.acknowledge("INC-2", "ana")).toMatchObject({ acknowledged_by: "ana" });
    expect(await client.incidents.timeline("INC-2")).toEqual([{ status: "RECEIVED" }]);
  });

  it("retries a 503 by default", async () => {
    answers.set("/api/v1/health", [
      {
        status: 503,
        body: { error: { code: "SERVICE_UNAVAILABLE", message: "busy" } },
        headers: { "retry-after": "0" },
      },
      { status: 200, body: { status: "healthy" } },
    ]);
    const client = new OpscopilotClient({ apiKey: "k", baseUrl: url });
    expect(await client.health()).toEqual({ status: "healthy" });
    expect(seen).toHaveLength(2);
  });
});
