import type { AegisClient } from "@aegis/sdk";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { prepareEnv, ServerProcess, startInProcess } from "../testing/test-server.js";

/**
 * An assistant's view of AegisOps over MCP, end to end on the real server (embedded database, the
 * pipeline, the council, the local executor): the official SDK client lists the tools, finds a
 * remediation waiting for a human, is refused it with a viewer key, approves it with a member key, and
 * the incident goes on to RESOLVED — read back over HTTP, with the approval in the audit chain. The
 * approval runs on the in-process server (PGlite) and, with PostgreSQL, on `aegis start` as a child process.
 */

/** The demo app is protected, so the council's approval of its remediation waits for a human. */
const PROTECTED = { PROTECTED_TARGETS: "buggy-app-v2" };

let client: AegisClient;
let stop: () => Promise<void>;
const mcpClients: Client[] = [];

beforeAll(async () => {
  const te = await prepareEnv(PROTECTED);
  ({ client, stop } = await startInProcess(te));
});
afterAll(async () => {
  for (const c of mcpClients) await c.close();
  await stop?.();
});

async function apiKey(api: AegisClient, name: string, role: "viewer" | "member"): Promise<string> {
  const r = await api.request("POST", "/api/v1/projects/default/api-keys", { name, role });
  expect(r.status).toBe(201);
  return (r.body as unknown as { key: string }).key;
}

async function mcp(
  api: AegisClient,
  key: string,
  header: "x-api-key" | "authorization" = "x-api-key",
): Promise<Client> {
  const c = new Client({ name: "aegis-e2e-assistant", version: "1.0.0" });
  const headers = header === "x-api-key" ? { "x-api-key": key } : { authorization: `Bearer ${key}` };
  await c.connect(new StreamableHTTPClientTransport(new URL(`${api.url}/mcp`), { requestInit: { headers } }));
  mcpClients.push(c);
  return c;
}

async function call(c: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await c.callTool({ name, arguments: args })) as CallToolResult;
}
const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

/** The approval an on-call person makes from their assistant, against the server `api` talks to. */
async function approvalThroughMcp(api: AegisClient): Promise<void> {
  const memberKey = await apiKey(api, "mcp-oncall-member", "member");
  const viewerKey = await apiKey(api, "mcp-readonly", "viewer");
  const incidentId = `mcp-${Math.random().toString(36).slice(2)}`;
  await api.request("POST", "/webhook", {
    incident_id: incidentId,
    alert_type: "Memory Leak",
    logs: "ERROR: Memory usage at 98%. Heap grows after every batch; full GC reclaims nothing.",
    container_name: "buggy-app-v2",
    severity: "CRITICAL",
  });
  await api.waitFor(incidentId, (i) => i.approval?.state === "pending", 60_000);

  const member = await mcp(api, memberKey, "authorization");
  const { tools } = await member.listTools();
  expect(tools.map((t) => t.name)).toEqual(
    expect.arrayContaining([
      "list_incidents",
      "get_incident",
      "get_incident_timeline",
      "search_runbooks",
      "who_is_on_call",
      "acknowledge_incident",
      "approve_action",
      "reject_action",
    ]),
  );

  // The assistant finds the remediation waiting for a decision.
  const waiting = await call(member, "list_incidents", { awaiting_approval: true });
  const items = (waiting.structuredContent as { items: { id: string; automation_status: string }[] }).items;
  expect(items).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: incidentId, automation_status: "AWAITING_APPROVAL" })]),
  );
  const detail = await call(member, "get_incident", { id: incidentId });
  expect(detail.structuredContent).toMatchObject({ approval: { state: "pending", decided_by: null } });
  expect(textOf(detail)).toMatch(/approval pending until/);

  // A viewer reads but may not decide: refused naming the permission, and nothing changes.
  const viewer = await mcp(api, viewerKey);
  expect((await call(viewer, "get_incident", { id: incidentId })).isError).toBeFalsy();
  const refused = await call(viewer, "approve_action", { id: incidentId });
  expect(refused.isError).toBe(true);
  expect(textOf(refused)).toMatch(/missing permission remediations\.approve.*viewer/);
  const still = await api.request("GET", `/api/v1/incidents/${incidentId}`);
  expect((still.body as unknown as { automation_status: string }).automation_status).toBe("AWAITING_APPROVAL");

  // The member approves through the tool; the pipeline carries the remediation out.
  const approved = await call(member, "approve_action", { id: incidentId, note: "approved from the IDE" });
  expect(approved.isError, textOf(approved)).toBeFalsy();
  expect(approved.structuredContent).toMatchObject({ incident_id: incidentId, approval: { state: "approved" } });
  const done = await api.waitFor(incidentId, (i) => i.status === "RESOLVED" || i.status === "FAILED", 60_000);
  expect(done.status, done.error ?? "").toBe("RESOLVED");
  expect(done.approval).toMatchObject({ state: "approved", note: "approved from the IDE" });
  expect(done.timeline.map((t) => t.status)).toContain("RESTARTED");
  // Decided once: the same path answers a second approval as a conflict, here as a tool error.
  const again = await call(member, "approve_action", { id: incidentId });
  expect(again).toMatchObject({ isError: true, structuredContent: { error: { code: "conflict" } } });

  // The timeline tool shows the human decision, attributed to the member key.
  const timeline = await call(member, "get_incident_timeline", { id: incidentId });
  const entries = (timeline.structuredContent as { items: { status: string; message: string }[] }).items;
  const decision = entries.find((t) => t.status === "HUMAN_DECISION");
  expect(decision?.message).toContain("approved from the IDE");

  // The audit chain holds the MCP approval by that key, the viewer's refusal, and the conflict.
  const audit = await api.request("GET", "/api/v1/security/audit-logs?action=mcp.approve_action&page_size=50");
  expect(audit.status).toBe(200);
  const rows = (
    audit.body as unknown as {
      data: { items: { actor: { name: string; role: string }; outcome: string; resource_id: string }[] };
    }
  ).data.items.filter((r) => r.resource_id === incidentId);
  expect(rows.map((r) => [r.actor.name, r.actor.role, r.outcome]).reverse()).toEqual([
    ["mcp-readonly", "viewer", "failure"],
    ["mcp-oncall-member", "member", "success"],
    ["mcp-oncall-member", "member", "failure"],
  ]);
  const verify = await api.request("GET", "/api/v1/security/audit-logs/verify");
  expect((verify.body as unknown as { data: { valid: boolean } }).data.valid).toBe(true);
}

describe("MCP client against the real server", () => {
  it("lists the tools and performs an approval through them, as the key's principal, audited", () =>
    approvalThroughMcp(client));

  it.runIf(testDatabaseKinds().includes("postgres"))(
    "does the same on `aegis start` (a child process) over PostgreSQL",
    async () => {
      const tdb = await freshDatabase("postgres");
      const proc = new ServerProcess(await prepareEnv({ ...PROTECTED, DATABASE_URL: tdb.url as string }));
      try {
        await proc.start();
        await approvalThroughMcp(proc.client);
      } finally {
        await proc.cleanup();
        await tdb.cleanup();
      }
    },
    180_000,
  );

  it("searches runbooks, says who is on call and acknowledges, from the project's own data", async () => {
    const runbook = await client.request("POST", "/api/v1/runbooks", {
      title: "Checkout heap exhaustion",
      service: "checkout",
      body: "When the checkout heap grows without bound, capture a heap dump, then restart the pod.",
    });
    expect(runbook.status).toBe(201);
    const schedule = await client.request("POST", "/api/v1/oncall/schedules", {
      name: "Checkout primary",
      time_zone: "Europe/Berlin",
      layers: [
        {
          name: "weekly",
          users: ["alice", "bob"],
          rotation_type: "weekly",
          handoff_time: "09:00",
          start_date: "2026-10-26",
        },
      ],
      overrides: [{ user: "carol", start: "2026-11-03T15:00:00Z", end: "2026-11-03T18:00:00Z", reason: "swap" }],
    });
    expect(schedule.status).toBe(201);

    const viewer = await mcp(client, await apiKey(client, "mcp-lookup-viewer", "viewer"));
    const found = await call(viewer, "search_runbooks", { query: "checkout heap exhaustion", top_k: 3 });
    const results = (found.structuredContent as { results: { id: string; title: string }[] }).results;
    expect(results[0]?.title).toBe("Checkout heap exhaustion");
    const onCall = await call(viewer, "who_is_on_call", { at: "2026-11-03T16:00:00Z" });
    expect(onCall.structuredContent).toMatchObject({
      on_call: expect.arrayContaining([expect.objectContaining({ schedule_name: "Checkout primary", user: "carol" })]),
    });
    expect(textOf(onCall)).toContain("Checkout primary: carol");
    const opened = await client.request("POST", "/api/v1/incidents", {
      title: "Checkout latency",
      service_name: "checkout",
    });
    expect(opened.status).toBe(200);
    const ref = (opened.body as unknown as { reference: string }).reference;
    const member = await mcp(client, await apiKey(client, "mcp-ack-member", "member"));
    const ack = await call(member, "acknowledge_incident", { id: ref });
    expect(ack.isError, textOf(ack)).toBeFalsy();
    expect(textOf(ack)).toBe(
      `${ref} acknowledged by ${(ack.structuredContent as { changed_by: { id: string } }).changed_by.id} (was detected)`,
    );
    const read = await client.request("GET", `/api/v1/incidents/${ref}`);
    expect((read.body as unknown as { state: string }).state).toBe("acknowledged");
    const bad = await call(viewer, "who_is_on_call", { at: "yesterday" });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/at/);
  });

  it("refuses a wrong key with 401 before the MCP layer", async () => {
    const c = new Client({ name: "wrong", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${client.url}/mcp`), {
      requestInit: { headers: { "x-api-key": "not-a-key" } },
    });
    await expect(c.connect(transport)).rejects.toMatchObject({ code: 401 });
    const raw = await fetch(`${client.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(raw.status).toBe(401);
  });
});
