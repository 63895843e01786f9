import type { IncidentPayload } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { PAST } from "../../analysts/llm/test-engine.js";
import type { AppDeps } from "../app-deps.js";
import { AS_DEFAULT, AS_P2, fake, incident, injectApp } from "../test-inject-app.js";

/** Seed 000 routes in-process: auth, validation, and the request's project reaching the services. */

let app: FastifyInstance;
afterEach(() => app?.close());

const alert: IncidentPayload = {
  incident_id: "INC-1",
  alert_type: "Memory Leak",
  logs: "heap grows",
} as IncidentPayload;

function incidents(projects: string[]): AppDeps["incidents"] {
  return fake("incidents", {
    receive: async (p, body) => {
      projects.push(p);
      return { created: true, incident: incident(body.incident_id as string) };
    },
    list: async (p) => {
      projects.push(p);
      return [incident("INC-1")];
    },
    get: async (p, id) => {
      projects.push(p);
      return incident(id);
    },
  });
}

describe("core routes (inject)", () => {
  it("POST /webhook records the incident in the key's project", async () => {
    const projects: string[] = [];
    app = await injectApp({ incidents: incidents(projects) });
    const res = await app.inject({ method: "POST", url: "/webhook", headers: AS_DEFAULT, payload: alert });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ incident_id: "INC-1", status: "RECEIVED" });
    const p2 = await app.inject({ method: "POST", url: "/webhook", headers: AS_P2, payload: alert });
    expect(p2.statusCode).toBe(200);
    expect(projects).toEqual(["default", "p2"]);
  });

  it("GET /incidents and /incidents/:id act on the key's project", async () => {
    const projects: string[] = [];
    app = await injectApp({ incidents: incidents(projects) });
    const list = await app.inject({ url: "/incidents?limit=5", headers: AS_P2 });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toHaveLength(1);
    const one = await app.inject({
      url: "/incidents/INC-7",
      headers: { authorization: "Bearer inject-key-p2-0123456789" },
    });
    expect(one.json()).toMatchObject({ incident_id: "INC-7" });
    expect(projects).toEqual(["p2", "p2"]);
  });

  it("refuses a request without a key or with a wrong key (401, the auth messages)", async () => {
    app = await injectApp();
    const none = await app.inject({ url: "/incidents" });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({
      error: "missing API key: send X-API-Key or Authorization: Bearer",
      code: "unauthorized",
      detail: "missing API key: send X-API-Key or Authorization: Bearer",
    });
    const wrong = await app.inject({ url: "/incidents", headers: { "x-api-key": "nope" } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: "invalid API key", code: "unauthorized", detail: "invalid API key" });
    // `?token=` is accepted only where a browser cannot send headers.
    const token = await app.inject({ url: `/incidents?token=${AS_DEFAULT["x-api-key"]}` });
    expect(token.statusCode).toBe(401);
  });

  it("answers bad input with a 4xx naming the field, never a 500", async () => {
    app = await injectApp({ executor: fake("executor", { targets: () => ["web"], has: (t) => t === "web" }) });
    const body = await app.inject({ method: "POST", url: "/webhook", headers: AS_DEFAULT, payload: { logs: "x" } });
    expect(body.statusCode).toBe(422);
    expect(body.json().error).toContain("alert_type");
    const limit = await app.inject({ url: "/incidents?limit=0", headers: AS_DEFAULT });
    expect(limit.statusCode).toBe(422);
    expect(limit.json().detail[0].loc).toEqual(["query", "limit"]);
    const direction = await app.inject({ method: "POST", url: "/scale/sideways", headers: AS_DEFAULT });
    expect(direction.statusCode).toBe(400);
    expect(direction.json().code).toBe("invalid_direction");
    const count = await app.inject({ method: "POST", url: "/scale/up?count=999", headers: AS_DEFAULT });
    expect(count.statusCode).toBe(422);
    expect(count.json().detail[0].loc).toEqual(["query", "count"]);
  });

  it("POST /scale/up scales the first target and publishes the event", async () => {
    const event = { container_base: "web", replica_count: 2, replicas: [], lb_configured: true, timestamp: "t" };
    app = await injectApp({
      executor: fake("executor", { targets: () => ["web"], has: () => true, scaleUp: async () => event }),
    });
    const res = await app.inject({ method: "POST", url: "/scale/up?count=2", headers: AS_DEFAULT });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ container_base: "web", replica_count: 2 });
  });

  it("GET /runbook and /rag/test read the key's project's knowledge", async () => {
    const projects: string[] = [];
    app = await injectApp({
      knowledge: fake("knowledge", {
        list: async (p) => {
          projects.push(p);
          return [];
        },
        similar: async (p) => {
          projects.push(p);
          return [PAST];
        },
      }),
    });
    const list = await app.inject({ url: "/runbook", headers: AS_P2 });
    expect(list.json()).toEqual({ entries: [], total: 0 });
    const rag = await app.inject({ url: "/rag/test?logs=heap%20grows", headers: AS_P2 });
    expect(rag.statusCode, rag.body).toBe(200);
    expect(rag.json()).toMatchObject({ query: "heap grows", count: 1 });
    const empty = await app.inject({ url: "/rag/test", headers: AS_P2 });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().detail[0].loc).toEqual(["query", "logs"]);
    expect(projects).toEqual(["p2", "p2"]);
  });
});
