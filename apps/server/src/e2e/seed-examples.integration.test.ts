import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeedExample, seedExamples, shapeMismatches } from "../testing/seed-examples.js";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

/**
 * Seeds 001 and 002 replayed from their own documents against a real server: every documented example
 * request is sent as written (paths' ids filled with real ones), and the answer must carry every field
 * of the documented example response with the same JSON type, under the documented status.
 */

const SEEDS = resolve(fileURLToPath(import.meta.url), "../../../../../../shared/seeds");
const seedFile = (prefix: string) => {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`seed ${prefix} not found in ${SEEDS}`);
  return resolve(SEEDS, name);
};

let url: string;
let apiKey: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const te = await prepareEnv();
  const started = await startInProcess(te);
  ({ stop } = started);
  url = started.server.url;
  apiKey = started.server.apiKey;
});
afterAll(async () => stop?.());

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

async function send(method: string, path: string, body: unknown, auth: Record<string, string>): Promise<Answer> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { ...auth, ...(body === undefined || body === null ? {} : { "content-type": "application/json" }) },
    body: body === undefined || body === null ? null : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: r.status, body: parsed, headers: r.headers };
}

function find(examples: SeedExample[], method: string, path: string): SeedExample {
  const e = examples.find((x) => x.method === method && x.path === path);
  if (!e) throw new Error(`the seed documents no ${method} ${path}`);
  return e;
}

/** The documented success status and example body of `e`. */
function documented(e: SeedExample): [number, unknown] {
  const [status, body] = [...e.responses.entries()].find(([s]) => s >= 200 && s < 300) ?? [];
  if (status === undefined) throw new Error(`${e.method} ${e.path}: no documented success response`);
  return [status, body];
}

function expectConforms(e: SeedExample, answer: Answer): void {
  const [status, body] = documented(e);
  expect(answer.status, `${e.method} ${e.path}: ${JSON.stringify(answer.body).slice(0, 400)}`).toBe(status);
  expect(shapeMismatches(body, answer.body), `${e.method} ${e.path}`).toEqual([]);
}

describe("seed 002 (SRE Copilot) examples, base /api/v1", () => {
  const examples = seedExamples(seedFile("002_"));
  const base = "/api/v1";
  let bearer: Record<string, string> = {};
  let incidentId = "";

  it("documents the examples this test replays", () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
  });

  it("POST /auth/register and POST /auth/login as documented", async () => {
    const register = find(examples, "POST", "/auth/register");
    const r = await send("POST", `${base}/auth/register`, register.request, {});
    expectConforms(register, r);
    expect(r.headers.getSetCookie().join(";")).toMatch(/access_token=.*HttpOnly/i);
    const login = find(examples, "POST", "/auth/login");
    const l = await send("POST", `${base}/auth/login`, login.request, {});
    expectConforms(login, l);
    bearer = { authorization: `Bearer ${(l.body as { access_token: string }).access_token}` };
    // The documented errors: bad credentials 401, missing fields 400 or 422 (FastAPI's `detail`).
    const wrong = await send("POST", `${base}/auth/login`, { ...(login.request as object), password: "nope-nope" }, {});
    expect(wrong.status).toBe(401);
    expect(wrong.body).toHaveProperty("detail");
  });

  it("POST /incidents, GET /incidents, PATCH /incidents/{id}/state as documented", async () => {
    const create = find(examples, "POST", "/incidents");
    const c = await send("POST", `${base}/incidents`, create.request, bearer);
    expectConforms(create, c);
    incidentId = (c.body as { id: string }).id;
    const list = find(examples, "GET", "/incidents");
    const l = await send("GET", `${base}/incidents${list.query ? `?${list.query}` : ""}`, undefined, bearer);
    expectConforms(list, l);
    expect((l.body as { id: string }[]).map((i) => i.id)).toContain(incidentId);
    const state = find(examples, "PATCH", "/incidents/{id}/state");
    const s = await send("PATCH", `${base}/incidents/${incidentId}/state`, state.request, bearer);
    expectConforms(state, s);
  });

  it("GET /incidents/{id}/hypotheses as documented, once the analysis ran", async () => {
    const hypotheses = find(examples, "GET", "/incidents/{id}/hypotheses");
    let h: Answer | null = null;
    for (let i = 0; i < 100; i++) {
      h = await send("GET", `${base}/incidents/${incidentId}/hypotheses`, undefined, bearer);
      if (Array.isArray(h.body) && h.body.length > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const incident = await send("GET", `${base}/incidents/${incidentId}`, undefined, bearer);
    expect((h?.body as unknown[] | undefined)?.length, JSON.stringify(incident.body).slice(0, 1500)).toBeGreaterThan(0);
    expectConforms(hypotheses, h as Answer);
  });

  it("GET /analytics/token-usage and /analytics/cost-summary as documented", async () => {
    for (const path of ["/analytics/token-usage", "/analytics/cost-summary"]) {
      const e = find(examples, "GET", path);
      expectConforms(e, await send("GET", `${base}${path}${e.query ? `?${e.query}` : ""}`, undefined, bearer));
    }
  });
});

describe("seed 001 (Ops Copilot) examples", () => {
  const examples = seedExamples(seedFile("001_"));
  const auth = () => ({ "x-api-key": apiKey });

  it("POST /api/v1/analyze with the documented request", async () => {
    const e = find(examples, "POST", "/api/v1/analyze");
    const r = await send("POST", "/api/v1/analyze", e.request, auth());
    expectConforms(e, r);
    expect(r.headers.get("x-ratelimit-limit")).toBe("100");
  });

  it("GET /api/v1/incidents/{incident_id} by its INC- reference, and the filtered list", async () => {
    const created = await send(
      "POST",
      "/api/v1/incidents",
      { title: "API gateway returning 500 errors", service_name: "api-gateway", severity: "critical" },
      auth(),
    );
    const reference = (created.body as { reference: string }).reference;
    expect(reference).toMatch(/^INC-\d+$/);
    const detail = find(examples, "GET", "/api/v1/incidents/{incident_id}");
    expectConforms(detail, await send("GET", `/api/v1/incidents/${reference}`, undefined, auth()));
    const list = find(examples, "GET", "/api/v1/incidents");
    expect(list.query).toContain("service=api-gateway");
    // The documented filter (status=resolved) after resolving it, so the list is not empty.
    await send("PATCH", `/api/v1/incidents/${reference}/state`, { state: "resolved" }, auth());
    const l = await send("GET", `/api/v1/incidents?${list.query}`, undefined, auth());
    expectConforms(list, l);
    expect((l.body as { incidents: { incident_id: string }[] }).incidents.map((i) => i.incident_id)).toContain(
      reference,
    );
  });

  it("POST /api/v1/runbooks/search with the documented request", async () => {
    const e = find(examples, "POST", "/api/v1/runbooks/search");
    await send(
      "POST",
      "/api/v1/runbooks",
      {
        title: "Debugging Database Connection Timeouts",
        service: "api-gateway",
        content:
          "When experiencing database connection timeouts, check the pool size and the database's max connections.",
      },
      auth(),
    );
    expectConforms(e, await send("POST", "/api/v1/runbooks/search", e.request, auth()));
  });

  it("POST /api/v1/tickets with the documented fields, and GET /api/v1/health", async () => {
    const tickets = find(examples, "POST", "/api/v1/tickets");
    expect(tickets.requestSchema).toHaveProperty("priority");
    const t = await send(
      "POST",
      "/api/v1/tickets",
      { title: "Checkout 500s", description: "API gateway returning 500 errors", priority: "critical" },
      auth(),
    );
    expectConforms(tickets, t);
    const health = find(examples, "GET", "/api/v1/health");
    expectConforms(health, await send("GET", "/api/v1/health", undefined, auth()));
  });
});
