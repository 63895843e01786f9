import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppDeps } from "../api/app-deps.js";
import { fake, incident, injectApp, KEY, KEY_P2 } from "../api/test-inject-app.js";
import type { AuditEntry } from "../ports/audit-trail.js";
import type { Identity } from "../ports/identity.js";
import { NotFoundError } from "../shared/errors.js";

/**
 * The MCP endpoint over a real listening Fastify app (real auth hook, real SDK client and transport),
 * with the services it calls doubled: proves each tool calls the route's service as the caller, in the
 * caller's project, refuses a viewer's decision, and audits what changes.
 */

const VIEWER_KEY = "inject-key-viewer-0123456789";
const IDENTITIES: Record<string, Identity> = {
  [KEY]: { principal: { kind: "api_key", id: "admin", displayName: "admin", role: "owner" }, projectId: "default" },
  [KEY_P2]: { principal: { kind: "api_key", id: "ci-bot", displayName: "CI bot", role: "member" }, projectId: "p2" },
  [VIEWER_KEY]: {
    principal: { kind: "api_key", id: "ro", displayName: "read only", role: "viewer" },
    projectId: "default",
  },
};
const TOOLS = [
  "acknowledge_incident",
  "approve_action",
  "get_incident",
  "get_incident_timeline",
  "list_incidents",
  "reject_action",
  "search_runbooks",
  "who_is_on_call",
];

let app: FastifyInstance | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await app?.close();
  app = undefined;
});

type Call = { verb: string; project: string; id: string; by: string; note: string | undefined };

/** The app listening on a free port; `audit` collects what the HTTP hook and the tools record. */
async function start(deps: Partial<AppDeps>, audit: AuditEntry[]): Promise<string> {
  const log = {
    record: async (e: AuditEntry) => void audit.push(e),
    recordLater: (e: AuditEntry) => void audit.push(e),
  };
  const security = {
    audit: log,
    access: { record: () => {} },
    events: { emit: () => {} },
    keys: { used: () => {} },
    compliance: {},
    operatorProjectId: "default",
  } as unknown as AppDeps["security"];
  app = await injectApp({ authenticator: { authenticate: async (key) => IDENTITIES[key] ?? null }, security, ...deps });
  return app.listen({ port: 0, host: "127.0.0.1" });
}

async function connect(url: string, key: string): Promise<Client> {
  const client = new Client({ name: "mcp-routes-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: { headers: { "x-api-key": key } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const result = (r: unknown) => r as CallToolResult;

function incidents(calls: Call[]): AppDeps["incidents"] {
  const decide = (verb: string) => async (project: string, id: string, by: string, note?: string) => {
    calls.push({ verb, project, id, by, note });
    const ts = new Date().toISOString();
    return incident(id, {
      status: verb === "approve" ? "APPROVED" : "FAILED",
      timeline: [
        { ts, status: "AWAITING_APPROVAL", message: "Waiting for a human decision.", agent: null },
        { ts, status: "HUMAN_DECISION", message: `${verb} by ${by}`, agent: "human" },
      ],
    });
  };
  return fake("incidents", { approve: decide("approve"), reject: decide("reject") });
}

describe("MCP endpoint", () => {
  it("lists the tools, each with an input schema", async () => {
    const url = await start({}, []);
    const client = await connect(url, KEY);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    const approve = tools.find((t) => t.name === "approve_action");
    expect(approve?.inputSchema).toMatchObject({ type: "object", required: ["id"] });
    expect(tools.find((t) => t.name === "list_incidents")?.annotations?.readOnlyHint).toBe(true);
    expect(client.getServerVersion()).toMatchObject({ name: "aegisops", version: "0.0.0-test" });
  });

  it("approves as the key's principal, through the approval service, and audits it once as mcp.approve_action", async () => {
    const calls: Call[] = [];
    const audit: AuditEntry[] = [];
    const url = await start({ incidents: incidents(calls) }, audit);
    const client = await connect(url, KEY);
    const r = result(await client.callTool({ name: "approve_action", arguments: { id: "INC-7", note: "db team ok" } }));
    expect(r.isError).toBeFalsy();
    expect(calls).toEqual([{ verb: "approve", project: "default", id: "INC-7", by: "admin", note: "db team ok" }]);
    expect(r.structuredContent).toMatchObject({ incident_id: "INC-7", status: "APPROVED", decided_by: "admin" });
    expect((r.content[0] as { text: string }).text).toMatch(/^approved INC-7 as admin/);
    // The MCP POSTs themselves (initialize, list, call) leave no generic http.create entry: one record, the tool's.
    expect(audit).toEqual([
      expect.objectContaining({
        projectId: "default",
        action: "mcp.approve_action",
        resourceType: "incident",
        resourceId: "INC-7",
        outcome: "success",
        actor: { kind: "api_key", id: "admin", name: "admin", role: "owner" },
        after: { via: "mcp", arguments: { id: "INC-7", note: "db team ok" } },
      }),
    ]);
  });

  it("refuses a viewer's approval naming the permission, changes nothing, and audits the refusal", async () => {
    const calls: Call[] = [];
    const audit: AuditEntry[] = [];
    const url = await start({ incidents: incidents(calls) }, audit);
    const client = await connect(url, VIEWER_KEY);
    for (const name of ["approve_action", "reject_action"]) {
      const r = result(await client.callTool({ name, arguments: { id: "INC-7" } }));
      expect(r.isError).toBe(true);
      expect((r.content[0] as { text: string }).text).toBe(
        `${name} refused: missing permission remediations.approve (requires the member role or above; this key's role is viewer)`,
      );
      expect(r.structuredContent).toMatchObject({ error: { code: "forbidden" } });
    }
    const ack = result(await client.callTool({ name: "acknowledge_incident", arguments: { id: "INC-7" } }));
    expect((ack.content[0] as { text: string }).text).toMatch(/missing permission incidents\.write/);
    expect(calls).toEqual([]);
    expect(audit.map((e) => [e.action, e.outcome, e.actor.id])).toEqual([
      ["mcp.approve_action", "failure", "ro"],
      ["mcp.reject_action", "failure", "ro"],
      ["mcp.acknowledge_incident", "failure", "ro"],
    ]);
  });

  it("rejects in the second key's project as that key", async () => {
    const calls: Call[] = [];
    const url = await start({ incidents: incidents(calls) }, []);
    const client = await connect(url, KEY_P2);
    const r = result(await client.callTool({ name: "reject_action", arguments: { id: "abc", note: "too risky" } }));
    expect(r.structuredContent).toMatchObject({ status: "FAILED", decided_by: "ci-bot" });
    expect(calls).toEqual([{ verb: "reject", project: "p2", id: "abc", by: "ci-bot", note: "too risky" }]);
  });

  it("acknowledges as the key's principal in its project, audited", async () => {
    const seen: unknown[] = [];
    const audit: AuditEntry[] = [];
    const incidentActions = fake("incidentActions", {
      acknowledge: async (project, by, id) => {
        seen.push({ project, by: by.id, id });
        return {
          id: "i-3",
          reference: id,
          state: "acknowledged",
          previous_state: "detected",
          changed_at: new Date().toISOString(),
          changed_by: { kind: by.kind, id: by.id },
          acknowledged_at: new Date().toISOString(),
        } as never;
      },
    });
    const url = await start({ incidentActions }, audit);
    const client = await connect(url, KEY_P2);
    const r = result(await client.callTool({ name: "acknowledge_incident", arguments: { id: "INC-3" } }));
    expect((r.content[0] as { text: string }).text).toBe("INC-3 acknowledged by ci-bot (was detected)");
    expect(r.structuredContent).toMatchObject({ state: "acknowledged", changed_by: { id: "ci-bot" } });
    expect(seen).toEqual([{ project: "p2", by: "ci-bot", id: "INC-3" }]);
    expect(audit.map((e) => [e.projectId, e.action, e.outcome, e.resourceId, e.actor.role])).toEqual([
      ["p2", "mcp.acknowledge_incident", "success", "INC-3", "member"],
    ]);
  });

  it("answers an unexpected failure as internal, without its raw message", async () => {
    const incidentResource = fake("incidentResource", {
      list: async () => {
        throw new Error("connection to postgres://app:hunter2@db lost");
      },
    });
    const url = await start({ incidentResource }, []);
    const client = await connect(url, KEY);
    const r = result(await client.callTool({ name: "list_incidents", arguments: {} }));
    expect(r).toMatchObject({
      isError: true,
      content: [{ type: "text", text: "list_incidents failed: internal server error" }],
      structuredContent: { error: { code: "internal" } },
    });
    expect(JSON.stringify(r)).not.toContain("hunter2");
  });

  it("lists incidents in the caller's project with the filter it asked for", async () => {
    const seen: unknown[] = [];
    const incidentResource = fake("incidentResource", {
      list: async (project, filter, limit, offset) => {
        seen.push({ project, filter, limit, offset });
        return { items: [], total: 0 };
      },
    });
    const url = await start({ incidentResource }, []);
    const client = await connect(url, KEY_P2);
    const r = result(
      await client.callTool({
        name: "list_incidents",
        arguments: { state: "open", awaiting_approval: true, limit: 5 },
      }),
    );
    expect(r.structuredContent).toEqual({ items: [], total: 0, limit: 5, offset: 0 });
    expect(seen).toEqual([
      {
        project: "p2",
        filter: {
          service: undefined,
          severity: undefined,
          lifecycle: ["detected", "acknowledged", "investigating", "mitigated"],
          automationStatus: "AWAITING_APPROVAL",
        },
        limit: 5,
        offset: 0,
      },
    ]);
  });

  it("answers bad arguments and unknown incidents as tool errors naming the problem", async () => {
    const incidentResource = fake("incidentResource", {
      get: async (_p, id) => {
        throw new NotFoundError(`incident ${id} not found`);
      },
    });
    const url = await start({ incidentResource }, []);
    const client = await connect(url, KEY);
    const bad = result(await client.callTool({ name: "list_incidents", arguments: { limit: 0 } }));
    expect(bad.isError).toBe(true);
    expect((bad.content[0] as { text: string }).text).toMatch(/limit/);
    const missing = result(await client.callTool({ name: "get_incident", arguments: { id: "INC-404" } }));
    expect(missing).toMatchObject({
      isError: true,
      content: [{ type: "text", text: "get_incident refused: incident INC-404 not found" }],
      structuredContent: { error: { code: "not_found" } },
    });
  });

  it("refuses a missing or wrong key with 401 before the MCP layer, and GET/DELETE with 405", async () => {
    const audit: AuditEntry[] = [];
    const url = await start({}, audit);
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const none = await fetch(`${url}/mcp`, { method: "POST", headers, body });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: "unauthorized" });
    const wrong = await fetch(`${url}/mcp`, { method: "POST", headers: { ...headers, "x-api-key": "nope" }, body });
    expect(wrong.status).toBe(401);
    const client = new Client({ name: "wrong-key", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { authorization: "Bearer nope" } },
    });
    await expect(client.connect(transport)).rejects.toMatchObject({ code: 401, message: /invalid API key/ });
    // Refused requests stay audited by the HTTP hook, as for any route.
    // (written once each response has gone out, so waited for)
    await vi.waitFor(() =>
      expect(audit.filter((e) => e.resourceType === "/mcp").map((e) => e.statusCode)).toEqual([401, 401, 401]),
    );
    const get = await fetch(`${url}/mcp`, { headers: { "x-api-key": KEY, accept: "text/event-stream" } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect((await fetch(`${url}/mcp`, { method: "DELETE", headers: { "x-api-key": KEY } })).status).toBe(405);
  });
});
