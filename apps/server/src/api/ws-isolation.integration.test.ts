import { WS_CLOSE_UNAUTHORIZED, WsControlMessage, WsEvent } from "@aegis/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

/**
 * Tenant isolation of `/ws` over real sockets: two tenants, each with a seed-000 socket (`?token=`) and
 * a seed-002 socket (connect + subscribe). Tenant A's incident reaches A's sockets and none of B's.
 */

let url: string;
let stop: () => Promise<void>;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  const started = await startInProcess(await prepareEnv());
  url = started.server.url;
  stop = started.stop;
});
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await stop?.();
});

interface Tenant {
  token: string;
  projectId: string;
  tenantId: string;
}

async function register(name: string): Promise<Tenant> {
  const res = await fetch(`${url}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: `${name}@example.com`,
      password: "isolation-pass",
      full_name: name,
      tenant_name: name,
    }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string; tenant: { id: string } };
  const me = await api(body.access_token, "GET", "/api/v1/auth/me");
  return { token: body.access_token, tenantId: body.tenant.id, projectId: me.user.project_id };
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions that read them
async function api(token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return res.json();
}

/** A socket that records every message it receives, and how it closed. */
class Probe {
  readonly messages: Record<string, unknown>[] = [];
  closeCode: number | null = null;
  readonly ws: WebSocket;
  readonly opened: Promise<void>;

  constructor(query = "") {
    this.ws = new WebSocket(`${url.replace("http", "ws")}/ws${query}`);
    sockets.push(this.ws);
    this.ws.on("message", (m) => this.messages.push(JSON.parse(m.toString())));
    this.ws.on("close", (code) => {
      this.closeCode = code;
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("error", reject);
    });
  }

  send(m: unknown): void {
    this.ws.send(JSON.stringify(m));
  }

  async until(pred: (m: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
    for (let waited = 0; waited < 20_000; waited += 25) {
      const found = this.messages.find(pred);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no ${what}; got ${JSON.stringify(this.messages.map((m) => m.type))}`);
  }

  types(): unknown[] {
    return this.messages.map((m) => m.type);
  }
}

/** A seed-002 client: connect with `token`, then subscribe to `channels`. */
async function eventsClient(t: Tenant, channels: string[]): Promise<Probe> {
  const p = new Probe();
  await p.opened;
  p.send({ type: "connect", token: t.token, tenantId: t.tenantId });
  expect(await p.until((m) => m.type === "connected", "connect ack")).toMatchObject({ project_id: t.projectId });
  p.send({ type: "subscribe", channels });
  await p.until((m) => m.type === "subscribed", "subscribe ack");
  return p;
}

describe("/ws tenant isolation", () => {
  it("delivers tenant A's incident to A's sockets only, and only on subscribed channels", async () => {
    const a = await register("tenant-a");
    const b = await register("tenant-b");
    expect(a.projectId).not.toBe(b.projectId);
    const { token: aWsToken } = await api(a.token, "GET", "/api/v1/auth/ws-token");

    const a000 = new Probe(`?token=${aWsToken}`);
    const b000 = new Probe(`?token=${b.token}`);
    await Promise.all([a000.opened, b000.opened]);
    const a002 = await eventsClient(a, ["incidents", "hypotheses"]);
    const aAlertsOnly = await eventsClient(a, ["alerts"]);
    const b002 = await eventsClient(b, ["incidents", "hypotheses", "alerts"]);

    const created = await api(a.token, "POST", "/api/v1/incidents", {
      title: "Memory leak in checkout",
      logs: "java.lang.OutOfMemoryError: Java heap space",
      service_name: "checkout",
      severity: "high",
    });
    const id = created.id as string;

    // Seed 000 on A: the envelope exactly, from incident.new through the analysis.
    const fresh = await a000.until((m) => m.type === "incident.new" && m.incident_id === id, "incident.new");
    expect(Object.keys(fresh).sort()).toEqual(["data", "incident_id", "timestamp", "type"]);
    await a000.until((m) => m.type === "ai.complete" && m.incident_id === id, "ai.complete");

    // Seed 002 on A: the documented shapes.
    expect(await a002.until((m) => m.type === "incident.created", "incident.created")).toMatchObject({
      data: { id, title: "Memory leak in checkout", severity: "high", state: "detected" },
      timestamp: expect.any(String),
    });
    expect(await a002.until((m) => m.type === "incident.updated", "incident.updated")).toMatchObject({
      data: { id, automation_status: expect.any(String) },
    });
    expect(await a002.until((m) => m.type === "hypothesis.generated", "hypothesis.generated")).toMatchObject({
      incidentId: id,
      data: { count: 1, top_hypothesis: { claim: expect.any(String), confidence_score: expect.any(Number) } },
    });

    // Hypotheses stored by seed 001's analyze for the incident (not by the pipeline) are announced too.
    const before = a002.messages.filter((m) => m.type === "hypothesis.generated").length;
    const reference = created.reference as string;
    await api(a.token, "POST", "/api/v1/analyze", {
      incident_description: "checkout pods restart with java.lang.OutOfMemoryError: Java heap space",
      incident_id: reference,
    });
    const generated = () => a002.messages.filter((x) => x.type === "hypothesis.generated");
    await a002.until(() => generated().length > before, "hypothesis.generated from analyze");
    const fromAnalyze = generated()[before];
    // Named by its INC-<n>, the event (and the stored hypotheses) carry the incident's own id.
    expect(fromAnalyze).toMatchObject({ incidentId: id, data: { top_hypothesis: { claim: expect.any(String) } } });
    const stored = await api(a.token, "GET", `/api/v1/incidents/${id}/hypotheses`);
    expect(stored.length).toBeGreaterThan(0);

    // A lifecycle move is an incident.updated with the new state.
    await api(a.token, "PATCH", `/api/v1/incidents/${id}/state`, { state: "acknowledged" });
    await a002.until(
      (m) => m.type === "incident.updated" && (m.data as { state?: string }).state === "acknowledged",
      "state",
    );

    // Every message a seed-002 client got is one of the contracts' shapes.
    for (const m of a002.messages)
      expect(WsEvent.or(WsControlMessage).safeParse(m).success, JSON.stringify(m)).toBe(true);
    // Let anything misrouted arrive before looking at B's sockets and the unsubscribed one.
    await new Promise((r) => setTimeout(r, 500));
    expect(b000.types()).toEqual(["heartbeat"]);
    expect(b002.types()).toEqual(["connected", "subscribed"]);
    expect(aAlertsOnly.types()).toEqual(["connected", "subscribed"]);
    expect(JSON.stringify([...b000.messages, ...b002.messages])).not.toContain(id);
  });

  it("refuses a bad connect token with an error and close code 4401", async () => {
    const p = new Probe();
    await p.opened;
    p.send({ type: "connect", token: "not-a-token" });
    expect(await p.until((m) => m.type === "error", "error")).toMatchObject({ code: "unauthorized" });
    for (let i = 0; i < 100 && p.closeCode === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(p.closeCode).toBe(WS_CLOSE_UNAUTHORIZED);
  });

  it("refuses a subscribe before connect", async () => {
    const p = new Probe();
    await p.opened;
    p.send({ type: "subscribe", channels: ["incidents"] });
    expect(await p.until((m) => m.type === "error", "error")).toMatchObject({ code: "unauthorized" });
  });
});
