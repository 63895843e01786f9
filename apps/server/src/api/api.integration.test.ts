import { type IncidentResult, Seed000IncidentResult } from "@aegis/contracts";
import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess, TEST_KEY } from "../testing/test-server.js";

let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  // The demo app is declared protected here, so remediations of it wait for a human.
  const te = await prepareEnv({ PROTECTED_TARGETS: "buggy-app-v2" });
  ({ client, stop } = await startInProcess(te));
});
afterAll(async () => stop?.());

const payload = (over: Record<string, unknown> = {}) => ({
  incident_id: `t-${Math.random().toString(36).slice(2)}`,
  alert_type: "Memory Leak",
  logs: "ERROR: Memory usage at 98%. Heap grows after every batch; full GC reclaims nothing.",
  container_name: "buggy-app-v2",
  severity: "CRITICAL",
  ...over,
});

describe("auth", () => {
  it("lets /health through without a key and reports ws clients", async () => {
    const r = await fetch(`${client.url}/health`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "ok", mode: "GOD_MODE", version: "2.0.0" });
    expect(typeof body.ws_clients).toBe("number");
  });

  it.each(["/incidents", "/containers", "/metrics", "/topology", "/runbook", "/rag/test?logs=x", "/openapi.json"])(
    "refuses %s without a key with a JSON 401",
    async (path) => {
      const r = await fetch(`${client.url}${path}`);
      expect(r.status).toBe(401);
      expect(((await r.json()) as { code: string }).code).toBe("unauthorized");
    },
  );

  it("refuses a wrong key and accepts Bearer", async () => {
    expect((await fetch(`${client.url}/incidents`, { headers: { "x-api-key": "wrong-key-123456789" } })).status).toBe(
      401,
    );
    expect((await fetch(`${client.url}/incidents`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).status).toBe(
      200,
    );
  });

  it("refuses a WebSocket with a wrong key and accepts ?token=", async () => {
    const { default: WebSocket } = await import("ws");
    // Without any key the upgrade succeeds: seed 002's clients authenticate with a `connect` message.
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${client.url.replace("http", "ws")}/ws?token=wrong`);
      ws.on("unexpected-response", (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      ws.on("open", () => resolve(101));
    });
    expect(status).toBe(401);
    const hello = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${client.url.replace("http", "ws")}/ws?token=${TEST_KEY}`);
      ws.on("message", (m) => {
        resolve(m.toString());
        ws.close();
      });
    });
    expect(JSON.parse(hello)).toMatchObject({ type: "heartbeat", data: { status: "connected" }, incident_id: null });
  });
});

describe("bad input", () => {
  it("names a missing logs field with 422", async () => {
    const { logs: _drop, ...rest } = payload();
    const r = await client.request("POST", "/webhook", rest);
    expect(r.status).toBe(422);
    expect(r.body.detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ loc: ["body", "logs"], type: "missing" })]),
    );
  });

  it("names wrongly typed fields", async () => {
    const r = await client.request("POST", "/webhook", payload({ logs: 42, dry_run: "yes" }));
    expect(r.status).toBe(422);
    const locs = (r.body.detail as { loc: string[] }[]).map((d) => d.loc.join("."));
    expect(locs).toEqual(expect.arrayContaining(["body.logs", "body.dry_run"]));
  });

  it("refuses malformed JSON and oversize bodies with 422", async () => {
    const bad = await client.request("POST", "/webhook", "{not json");
    expect(bad.status).toBe(422);
    const huge = await client.request("POST", "/webhook", payload({ logs: "x".repeat(3 * 1024 * 1024) }));
    expect(huge.status).toBe(422);
    expect(JSON.stringify(huge.body)).toContain("body");
    const longLogs = await client.request("POST", "/webhook", payload({ logs: "y".repeat(1_000_001) }));
    expect(longLogs.status).toBe(422);
    expect((longLogs.body.detail as { loc: string[] }[])[0]?.loc).toEqual(["body", "logs"]);
  });

  it("answers 404 for an unknown incident and 400 for an unknown scale direction", async () => {
    expect((await client.request("GET", "/incidents/does-not-exist")).status).toBe(404);
    const r = await client.request("POST", "/scale/sideways");
    expect(r.status).toBe(400);
    expect(String(r.body.error)).toContain("sideways");
    expect((await client.request("POST", "/scale/up?count=99")).status).toBe(422);
    expect((await client.request("POST", "/scale/up?count=abc")).status).toBe(422);
  });

  it("still serves after all that", async () => {
    expect((await client.request("GET", "/incidents")).status).toBe(200);
  });
});

describe("webhook", () => {
  it("returns RECEIVED at once, with the seed's fields", async () => {
    const p = payload({ dry_run: true });
    const r = await client.request("POST", "/webhook", p);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      incident_id: p.incident_id,
      alert_type: "Memory Leak",
      status: "RECEIVED",
      analysis: null,
      council_decision: null,
      resolved_at: null,
      error: null,
      replicas_spawned: 0,
    });
    expect((r.body.timeline as { status: string }[])[0]?.status).toBe("RECEIVED");
  });

  it("dry run analyses and decides but executes nothing", async () => {
    // A distinct problem: an identical alert while another is worked on joins it (ADR 0013).
    const p = payload({ dry_run: true, alert_type: "Memory Leak (dry run)" });
    await client.request("POST", "/webhook", p);
    // The decision and the status it leads to are committed together.
    const done = await client.waitFor(p.incident_id, (i) => i.council_decision !== null);
    expect(done.analysis?.action).toBeDefined();
    expect(done.council_decision?.votes).toHaveLength(3);
    const statuses = done.timeline.map((t) => t.status);
    expect(statuses).toEqual(expect.arrayContaining(["RAG_RETRIEVAL", "ANALYSING", "AI_COMPLETE", "COUNCIL_DECISION"]));
    expect(statuses.filter((s) => s === "COUNCIL_VOTE")).toHaveLength(3);
    expect(statuses).not.toContain("EXECUTING");
    expect(statuses).not.toContain("RESTARTED");
  });

  it("returns the existing incident for a repeated id and runs one pipeline", async () => {
    const p = payload({ dry_run: true, alert_type: "Memory Leak (repeated id)" });
    const [a, b] = await Promise.all([client.request("POST", "/webhook", p), client.request("POST", "/webhook", p)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    // The decision and the status it leads to are committed together.
    const done = await client.waitFor(p.incident_id, (i) => i.council_decision !== null);
    const again = await client.request("POST", "/webhook", { ...p, alert_type: "Changed" });
    expect((again.body as unknown as IncidentResult).alert_type).toBe("Memory Leak (repeated id)");
    expect(done.timeline.filter((t) => t.status === "RECEIVED")).toHaveLength(1);
    expect(done.timeline.filter((t) => t.status === "AI_COMPLETE")).toHaveLength(1);
  });

  it("lists incidents newest first and filters by status", async () => {
    const list = await client.request("GET", "/incidents?limit=2");
    expect(list.status).toBe(200);
    expect((list.body as unknown as unknown[]).length).toBeLessThanOrEqual(2);
    const bad = await client.request("GET", "/incidents?status=BOGUS");
    expect(bad.status).toBe(422);
  });
});

describe("human approval", () => {
  it("waits for a human on a protected target and continues on approve", async () => {
    const p = payload();
    await client.request("POST", "/webhook", p);
    const waiting = await client.waitFor(p.incident_id, (i) => i.approval?.state === "pending");
    // Seed 000's enums on its own route: still in review, not approved, with the approval spelled out.
    expect(Seed000IncidentResult.safeParse(waiting).success).toBe(true);
    expect(waiting.status).toBe("COUNCIL_REVIEW");
    expect(waiting.council_decision).toMatchObject({ final_verdict: "REJECTED", awaiting_human: true });
    expect(waiting.approval).toMatchObject({
      decided_by: null,
      approve_url: `/api/v1/incidents/${p.incident_id}/approve`,
    });
    expect(Date.parse(waiting.approval?.expires_at ?? "")).toBeGreaterThan(Date.now());
    // The product's own view keeps its richer automation state.
    const v1 = await client.request("GET", `/api/v1/incidents/${p.incident_id}`);
    expect((v1.body as unknown as { automation_status: string }).automation_status).toBe("AWAITING_APPROVAL");
    expect((await client.request("GET", "/incidents?status=COUNCIL_REVIEW")).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ incident_id: p.incident_id })]),
    );
    const unauth = await fetch(`${client.url}/api/v1/incidents/${p.incident_id}/approve`, { method: "POST" });
    expect(unauth.status).toBe(401);
    const r = await client.request("POST", `/api/v1/incidents/${p.incident_id}/approve`, {
      note: "checked with the db team",
    });
    expect(r.status).toBe(200);
    const done = await client.waitFor(p.incident_id, (i) => i.status === "RESOLVED" || i.status === "FAILED", 60_000);
    expect(done.status).toBe("RESOLVED");
    expect(Seed000IncidentResult.safeParse(done).success).toBe(true);
    expect(done.council_decision).toMatchObject({ final_verdict: "APPROVED", awaiting_human: false });
    expect(done.approval).toMatchObject({ state: "approved", note: "checked with the db team" });
    const statuses = done.timeline.map((t) => t.status);
    expect(statuses).toContain("HUMAN_DECISION");
    expect(statuses).toContain("RESTARTED");
    expect(done.timeline.find((t) => t.status === "HUMAN_DECISION")?.message).toContain("checked with the db team");
    expect((await client.request("POST", `/api/v1/incidents/${p.incident_id}/approve`, {})).status).toBe(409);
  });

  it("ends FAILED with the reason on reject", async () => {
    const p = payload();
    await client.request("POST", "/webhook", p);
    await client.waitFor(p.incident_id, (i) => i.approval?.state === "pending");
    const r = await client.request("POST", `/api/v1/incidents/${p.incident_id}/reject`, { note: "not now" });
    expect(r.status).toBe(200);
    const done = await client.waitFor(p.incident_id, (i) => i.status === "FAILED");
    expect(done.error).toContain("not now");
    expect(done.council_decision?.final_verdict).toBe("REJECTED");
    expect(done.approval).toMatchObject({ state: "rejected", note: "not now" });
    expect((await client.request("POST", "/api/v1/incidents/nope/reject", {})).status).toBe(404);
  });
});

describe("docs", () => {
  it("serves OpenAPI generated from the schemas, Swagger UI and ReDoc", async () => {
    const spec = await client.request("GET", "/openapi.json");
    expect(spec.status).toBe(200);
    const paths = Object.keys((spec.body as unknown as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining(["/webhook", "/incidents", "/incidents/{incident_id}", "/scale/{direction}", "/rag/test"]),
    );
    expect((await client.request("GET", "/docs/")).status).toBe(200);
    const redoc = await client.request("GET", "/redoc");
    expect(String(redoc.body)).toContain("redoc");
  });
});
