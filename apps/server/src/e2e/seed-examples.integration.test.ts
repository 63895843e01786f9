import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signPagerDuty } from "../ingest/pagerduty-signature.js";
import { lenientJson, type SeedExample, seedExamples, shapeMismatches } from "../testing/seed-examples.js";
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

/** The values of `timestamp`, `timestamps`, `resolved_at` anywhere in a JSON answer. */
function timesIn(body: unknown): string[] {
  if (Array.isArray(body)) return body.flatMap(timesIn);
  if (!body || typeof body !== "object") return [];
  return Object.entries(body).flatMap(([k, v]) =>
    ["timestamp", "timestamps", "resolved_at"].includes(k) && v !== null
      ? [v].flat().filter((x): x is string => typeof x === "string")
      : timesIn(v),
  );
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
    // The documented errors: bad credentials 401, missing fields 400 (FastAPI's `detail`).
    const wrong = await send("POST", `${base}/auth/login`, { ...(login.request as object), password: "nope-nope" }, {});
    expect(wrong.status).toBe(401);
    expect(wrong.body).toHaveProperty("detail");
    // "400 Bad Request: Missing required fields", in FastAPI's `{detail}` naming them.
    const { password: _, ...noPassword } = login.request as Record<string, unknown>;
    const missing = await send("POST", `${base}/auth/login`, noPassword, {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ detail: [{ loc: ["body", "password"], msg: "Field required", type: "missing" }] });
    const empty = await send("POST", `${base}/auth/login`, undefined, { "content-type": "application/json" });
    expect(empty.status).toBe(400);
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

  it("an unknown incident is a 404 in the seed's `{detail}` on every incident path", async () => {
    for (const path of ["", "/hypotheses", "/workflow", "/metrics"]) {
      const r = await send("GET", `${base}/incidents/00000000-0000-4000-8000-000000000000${path}`, undefined, bearer);
      expect(r.status, path).toBe(404);
      expect(r.body, path).toEqual({ detail: expect.any(String) });
    }
    const m = await send(
      "GET",
      `${base}/analytics/incident-metrics/00000000-0000-4000-8000-000000000000`,
      undefined,
      bearer,
    );
    expect(m.status).toBe(404);
    expect(m.body).toEqual({ detail: expect.any(String) });
  });

  it("carries the documented X-RateLimit-* headers (reset in seconds) and answers 429 past the budget", async () => {
    for (const path of ["/incidents", "/projects", "/auth/me", "/analytics/token-usage", `/incidents/${incidentId}`]) {
      const r = await send("GET", `${base}${path}`, undefined, bearer);
      expect(r.status, path).toBe(200);
      // The seed's headers; the budget is the product's (AEGIS_SRE_PER_MINUTE).
      expect(r.headers.get("x-ratelimit-limit"), path).toBe("300");
      expect(Number(r.headers.get("x-ratelimit-remaining")), path).toBeLessThan(300);
      expect(Number(r.headers.get("x-ratelimit-reset")), path).toBeLessThanOrEqual(60);
    }
    // Its clients are users: an API key (the SDK, the CLI) asking with its parameters is not counted.
    const keyed = await send("GET", `${base}/incidents?skip=0&limit=5`, undefined, { "x-api-key": apiKey });
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get("x-ratelimit-limit")).toBeNull();
    // A user of its own, so the budget spent here is nobody else's.
    const register = find(examples, "POST", "/auth/register");
    const other = { ...(register.request as object), email: "rate-limit@example.com" };
    const reg = await send("POST", `${base}/auth/register`, other, {});
    const own = { authorization: `Bearer ${(reg.body as { access_token: string }).access_token}` };
    let last: Answer | null = null;
    for (let i = 0; i <= 300 && last?.status !== 429; i++) last = await send("GET", `${base}/auth/me`, undefined, own);
    expect(last?.status).toBe(429);
    expect(last?.body).toEqual({
      detail: expect.stringMatching(/^Rate limit exceeded/),
      retry_after: expect.any(Number),
    });
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
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

  it("POST /api/v1/runbooks/search: a bad body is the seed's 400 INVALID_REQUEST naming the field", async () => {
    const e = find(examples, "POST", "/api/v1/runbooks/search");
    const { query: _, ...noQuery } = e.request as Record<string, unknown>;
    const r = await send("POST", "/api/v1/runbooks/search", noQuery, auth());
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: { code: "INVALID_REQUEST", message: expect.stringContaining("query"), details: { field: "query" } },
    });
    const big = await send("POST", "/api/v1/runbooks/search", { ...(e.request as object), top_k: 21 }, auth());
    expect(big.status).toBe(400);
    expect((big.body as { error: { details: unknown } }).error.details).toEqual({ field: "top_k" });
  });

  it("the seed 001 routes of its own carry the documented X-RateLimit-* headers, the reset a unix time", async () => {
    // The incident reads are the resource seeds 002 and 003 share (and the SDK polls): not budgeted (ADR 0027).
    const calls: [string, string, unknown][] = [
      ["POST", "/api/v1/runbooks/search", { query: "database connection timeout" }],
      ["GET", "/api/v1/health", undefined],
    ];
    const now = Date.now() / 1000;
    for (const [method, path, body] of calls) {
      const r = await send(method, path, body, auth());
      expect(r.status, path).toBe(200);
      expect(r.headers.get("x-ratelimit-limit"), path).toBe("500");
      expect(Number(r.headers.get("x-ratelimit-remaining")), path).toBeLessThan(500);
      expect(Number(r.headers.get("x-ratelimit-reset")), path).toBeGreaterThan(now);
    }
  });

  it("the curl examples as written, at the base URL's `/v1/…` paths, answer as the headings' `/api/v1/…` do", async () => {
    const created = await send("POST", "/api/v1/incidents", { title: "Checkout 500s", severity: "critical" }, auth());
    const reference = (created.body as { reference: string }).reference;
    const replayed = examples.filter((e) => e.examplePath !== null);
    expect(replayed.map((e) => `${e.method} ${e.examplePath}`)).toEqual([
      "POST /v1/analyze",
      "GET /v1/incidents/INC-12345",
      "POST /v1/runbooks/search",
      "GET /v1/incidents",
    ]);
    for (const e of replayed) {
      const path = (e.examplePath as string).replace("INC-12345", reference);
      const r = await send(e.method, `${path}${e.query ? `?${e.query}` : ""}`, e.request, auth());
      expectConforms(e, r);
    }
    // Its errors too: the seed's envelope at either spelling.
    const none = await send("POST", "/v1/analyze", { incident_description: "short" }, auth());
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ error: { code: "INVALID_REQUEST", details: { field: "incident_description" } } });
    for (const path of ["/v1/health", "/v1/tickets", "/v1/webhooks"]) {
      const r = await send(path === "/v1/health" ? "GET" : "POST", path, path === "/v1/health" ? undefined : {}, {});
      expect(r.status, path).toBe(401);
      expect(r.body, path).toEqual({ error: { code: "UNAUTHORIZED", message: "Invalid or missing API key" } });
    }
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

/** An example body conforms when it matches any documented variant of its status (seed 004's Success/Warmup…). */
function expectAnyVariant(e: SeedExample, answer: Answer, labels?: string[]): void {
  const variants = e.variants.filter((v) => v.status === answer.status && (!labels || labels.includes(v.label)));
  expect(
    variants.length,
    `${e.method} ${e.path}: answered ${answer.status} ${JSON.stringify(answer.body)}`,
  ).toBeGreaterThan(0);
  const misses = variants.map((v) => shapeMismatches(v.body, answer.body));
  expect(
    misses.some((m) => m.length === 0),
    `${e.method} ${e.path}: ${JSON.stringify(misses)} in ${JSON.stringify(answer.body).slice(0, 300)}`,
  ).toBe(true);
}

describe("seed 000 (AegisOps core) examples", () => {
  const examples = seedExamples(seedFile("000_"));
  const auth = () => ({ "x-api-key": apiKey });

  it("POST /webhook as documented answers RECEIVED at once; the incident then reads like the RESOLVED example", async () => {
    const webhook = find(examples, "POST", "/webhook");
    const id = `seed-${Date.now()}`;
    const r = await send("POST", "/webhook", { ...(webhook.request as object), incident_id: id }, auth());
    expectAnyVariant(webhook, r);
    expect((r.body as { status: string }).status).toBe("RECEIVED");
    const one = find(examples, "GET", "/incidents/{incident_id}");
    let incident: Answer | null = null;
    for (let i = 0; i < 600; i++) {
      incident = await send("GET", `/incidents/${id}`, undefined, auth());
      const status = (incident.body as { status?: string }).status;
      if (status === "RESOLVED" || status === "FAILED") break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect((incident?.body as { status?: string } | undefined)?.status).toBe("RESOLVED");
    expectAnyVariant(one, incident as Answer);
    const list = await send("GET", "/incidents", undefined, auth());
    expect((list.body as { incident_id: string }[]).map((i) => i.incident_id)).toContain(id);
    expect(shapeMismatches([one.variants[0]?.body], list.body)).toEqual([]);
  }, 150_000);

  it("the runtime, knowledge and health examples", async () => {
    for (const path of ["/containers", "/metrics", "/topology", "/runbook", "/health"]) {
      const e = find(examples, "GET", path);
      expectAnyVariant(e, await send("GET", path, undefined, auth()));
    }
    const rag = find(examples, "GET", "/rag/test");
    expect(rag.query).toContain("logs=");
    expectAnyVariant(rag, await send("GET", `/rag/test?${rag.query}`, undefined, auth()));
  });

  it("the documented errors carry FastAPI's `detail`: 404 unknown incident, 400 bad direction, 405 wrong method", async () => {
    const missing = await send("GET", "/incidents/no-such-incident", undefined, auth());
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ detail: expect.stringContaining("no-such-incident") });
    const direction = await send("POST", "/scale/sideways", undefined, auth());
    expect(direction.status).toBe(400);
    expect(direction.body).toMatchObject({ detail: expect.stringContaining("direction") });
    for (const [method, path, allow] of [
      ["DELETE", "/incidents", "GET"],
      ["POST", "/health", "GET"],
      ["GET", "/webhook", "POST"],
    ] as const) {
      const r = await send(method, path, undefined, auth());
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.headers.get("allow"), path).toBe(allow);
      expect(r.body).toMatchObject({ detail: "Method Not Allowed" });
    }
    const unknown = await send("GET", "/no-such-path", undefined, auth());
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ detail: "Not Found" });
  });

  it("POST /scale/{direction} up and down as documented", async () => {
    const scale = find(examples, "POST", "/scale/{direction}");
    expectAnyVariant(scale, await send("POST", "/scale/up?count=2", undefined, auth()), ["scale up"]);
    expectAnyVariant(scale, await send("POST", "/scale/down", undefined, auth()), ["scale down"]);
  }, 60_000);
});

describe("seed 004 (Tachyon Argus) examples", () => {
  const examples = seedExamples(seedFile("004_"));
  const auth = () => ({ "x-api-key": apiKey });

  it("GET /health and /status, and POST /feed/data with the documented record, then past warm-up", async () => {
    for (const path of ["/health", "/status"]) {
      expectAnyVariant(find(examples, "GET", path), await send("GET", path, undefined, auth()));
    }
    const feed = find(examples, "POST", "/feed/data");
    expectAnyVariant(feed, await send("POST", "/feed/data", feed.request, auth()));
    // The documented record, repeated every 5 minutes on three servers, until the warm-up is over.
    const record = (feed.request as { records: Record<string, unknown>[] }).records[0] as Record<string, unknown>;
    const start = Date.parse(`${record.timestamp as string}Z`);
    const records = Array.from({ length: 110 }, (_, tick) =>
      ["ppdb001", "ppdb002", "ppweb001"].map((server_name, s) => ({
        ...record,
        server_name,
        timestamp: new Date(start + (tick + 1) * 300_000).toISOString().slice(0, 19),
        cpu_user_pct: (record.cpu_user_pct as number) + s + (tick % 7),
      })),
    ).flat();
    const warm = await send("POST", "/feed/data", { records }, auth());
    expectAnyVariant(feed, warm, ["Success"]);
  });

  it("predictions, alerts, explanations and history as documented", async () => {
    const paths: [string, string][] = [
      ["/predictions/current", "/predictions/current"],
      ["/alerts/active", "/alerts/active"],
      ["/explain/{server_name}", "/explain/ppdb001"],
      ["/historical/summary", "/historical/summary"],
      ["/historical/alerts", "/historical/alerts"],
      ["/historical/server/{server_name}", "/historical/server/ppdb001"],
      ["/historical/environment", "/historical/environment"],
      ["/historical/export/{table}", "/historical/export/alerts"],
    ];
    const times: string[] = [];
    for (const [documentedPath, path] of paths) {
      const e = find(examples, "GET", documentedPath);
      const answer = await send("GET", path, undefined, auth());
      expectAnyVariant(e, answer);
      times.push(...timesIn(answer.body));
    }
    // Every time is written as the seed writes its own: UTC, no offset, to the second.
    expect(times.length).toBeGreaterThan(10);
    for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  it("the admin examples: models, reload, training status and stats", async () => {
    expectAnyVariant(find(examples, "GET", "/admin/models"), await send("GET", "/admin/models", undefined, auth()));
    expectAnyVariant(
      find(examples, "POST", "/admin/reload-model"),
      await send("POST", "/admin/reload-model", undefined, auth()),
    );
    for (const path of ["/admin/training-status", "/admin/training-stats"]) {
      expectAnyVariant(find(examples, "GET", path), await send("GET", path, undefined, auth()));
    }
  });

  it("the documented errors: 401 `{detail}` for a wrong key", async () => {
    const r = await send("GET", "/predictions/current", undefined, { "x-api-key": "wrong-key-0123456789" });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ detail: "Invalid or missing API key" });
  });

  it("the documented 422: a record whose cpu_user_pct is not a number, in Pydantic 1's words", async () => {
    const feed = find(examples, "POST", "/feed/data");
    const record = (feed.request as { records: Record<string, unknown>[] }).records[0] as Record<string, unknown>;
    // The seed's own "422 Validation Error" example (its cpu_user_pct of record 0).
    const block = /### 422 Validation Error\s*```json\s*([\s\S]*?)```/.exec(readFileSync(seedFile("004_"), "utf8"));
    const documented = JSON.parse(block?.[1] ?? "null") as unknown;
    const r = await send("POST", "/feed/data", { records: [{ ...record, cpu_user_pct: "high" }] }, auth());
    expect(r.status).toBe(422);
    expect(r.body).toEqual(documented);
    const { cpu_user_pct: _, ...missing } = record;
    const m = await send("POST", "/feed/data", { records: [missing] }, auth());
    expect(m.body).toEqual({
      detail: [{ loc: ["body", "records", 0, "cpu_user_pct"], msg: "field required", type: "value_error.missing" }],
    });
  });
});

describe("seed 003 (OnCall Agent) endpoints, each listed example", () => {
  const examples = seedExamples(seedFile("003_"));
  const auth = () => ({ "x-api-key": apiKey });

  /** What the seed's placeholders (`user=email`, `query=...`) stand for; a placeholder with none is left out. */
  const placeholder = (ref: string): Record<string, string> => ({
    user: "oncall@example.com",
    resolution: "Rolled back to the previous version",
    query: "memory leak",
    incident_id: ref,
    service: "aegisops",
  });

  function queryOf(e: SeedExample, ref: string): string {
    if (!e.query) return "";
    const values = placeholder(ref);
    const params = new URLSearchParams();
    for (const [k, v] of new URLSearchParams(e.query)) {
      if (v !== "..." && v !== "email") params.set(k, v);
      else if (values[k] !== undefined) params.set(k, values[k]);
    }
    const q = params.toString();
    return q ? `?${q}` : "";
  }

  it("lists its 69 REST endpoints (the WebSocket aside)", () => {
    expect(examples.length).toBe(69);
  });

  it("every listed request, sent as written, answers in the seed's success envelope", async () => {
    const created = await send(
      "POST",
      "/api/v1/incidents",
      {
        title: "High error rate on api-gateway",
        description: "5xx above 5%",
        service_name: "api-gateway",
        severity: "high",
      },
      auth(),
    );
    expect(created.body).toMatchObject({ success: true, data: { state: "detected" } });
    const ref = (created.body as { reference: string }).reference;
    const integration = await send(
      "PUT",
      "/api/v1/integrations/webhook/config",
      { config: { url: "http://127.0.0.1:9/hook", secret: "webhook-secret-0123456789" } },
      auth(),
    );
    expect(integration.status, JSON.stringify(integration.body)).toBeLessThan(300);
    const backup = await send("POST", "/api/v1/settings/backup", undefined, auth());
    const backupId = (backup.body as { data: { backup_id: string } }).data.backup_id;
    const secret = "pd-signing-secret-0123456789";
    await send("PUT", "/api/v1/alert-sources/pagerduty", { signing_secret: secret }, auth());
    const delivery = JSON.stringify({
      event: {
        id: "01SEED003",
        event_type: "incident.triggered",
        resource_type: "incident",
        occurred_at: new Date().toISOString(),
        data: { id: "QSEED003", type: "incident", title: "Checkout is down", status: "triggered", urgency: "high" },
      },
    });

    const bodies: Record<string, unknown> = {
      "POST /api/v1/incidents": { title: "Disk filling on db-1", severity: "medium" },
      "PATCH /api/v1/incidents/{incident_id}": { severity: "critical" },
      "POST /api/v1/incidents/{incident_id}/actions": { action: "NOOP", reason: "seed example" },
      "POST /api/v1/agent/analyze": { incident_id: ref },
      "PUT /api/v1/integrations/{name}/config": {
        config: { url: "http://127.0.0.1:9/hook", secret: "webhook-secret-0123456789" },
      },
      "PUT /api/v1/settings": {},
      "PUT /api/v1/settings/notifications": {},
      "PUT /api/v1/settings/automation": {},
    };
    const paths: Record<string, string> = { incident_id: ref, name: "webhook", backup_id: backupId };
    const failures: string[] = [];
    for (const e of examples) {
      const key = `${e.method} ${e.path}`;
      const path = e.path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(paths[p] ?? p));
      const target = `${path}${queryOf(e, ref)}`;
      if (key === "GET /api/v1/monitoring/logs/stream") {
        const ctl = new AbortController();
        const r = await fetch(`${url}${target}`, {
          headers: auth(),
          signal: ctl.signal,
        }).catch(() => null);
        ctl.abort();
        if (!r?.headers.get("content-type")?.startsWith("text/event-stream"))
          failures.push(`${key}: not an event stream`);
        continue;
      }
      const r =
        key === "POST /webhook/pagerduty"
          ? await send("POST", target, JSON.parse(delivery), {
              ...auth(),
              "x-pagerduty-signature": signPagerDuty(JSON.stringify(JSON.parse(delivery)), secret),
            })
          : await send(e.method, target, bodies[key], auth());
      if (key === "GET /api/v1/security/audit-logs/export") {
        // Seed 003: "File exports (audit logs, reports) return download URLs valid for 24 hours".
        const link = r.body as { success?: unknown; data?: { download_url?: unknown; expires_at?: unknown } };
        const hours = (Date.parse(String(link.data?.expires_at)) - Date.now()) / 3_600_000;
        if (
          r.status !== 200 ||
          link.success !== true ||
          typeof link.data?.download_url !== "string" ||
          !(hours > 23.9 && hours <= 24)
        )
          failures.push(`${key}: ${r.status} ${JSON.stringify(r.body)}`);
        continue;
      }
      if (key === "POST /api/v1/security/rotate-api-key") {
        // `service=github`: no GitHub integration can exist here, so the seed's example is a 404 in its envelope.
        if (r.status !== 404 || (r.body as { success?: unknown }).success !== false)
          failures.push(`${key}: ${r.status}`);
        continue;
      }
      const body = r.body as { success?: unknown; message?: unknown; data?: unknown };
      if (
        r.status < 200 ||
        r.status >= 300 ||
        body.success !== true ||
        typeof body.message !== "string" ||
        !("data" in body)
      )
        failures.push(`${key} → ${r.status} ${JSON.stringify(r.body).slice(0, 240)}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it("a listed request with `page` answers the seed's Paginated Response, also inside its success envelope", async () => {
    const text = readFileSync(seedFile("003_"), "utf8");
    const block = /### Paginated Response\s+```json\n([\s\S]*?)```/.exec(text)?.[1];
    const paginated = lenientJson(block ?? "") as Record<string, unknown>;
    expect(Object.keys(paginated)).toEqual(["items", "total", "page", "page_size", "has_next"]);
    const paged = examples.filter((e) => e.method === "GET" && /(^|&)page=/.test(e.query ?? ""));
    expect(paged.map((e) => e.path)).toEqual(["/api/v1/incidents", "/api/v1/security/audit-logs"]);
    for (const e of paged) {
      const r = await send("GET", `${e.path}?page=1&page_size=20`, undefined, auth());
      expect(r.status, e.path).toBe(200);
      expect(shapeMismatches(paginated, r.body), e.path).toEqual([]);
      const body = r.body as Record<string, unknown> & { data: Record<string, unknown> };
      expect(body.success, e.path).toBe(true);
      expect(shapeMismatches(paginated, body.data), e.path).toEqual([]);
      expect(body.total, e.path).toBe(body.data.total);
    }
  });

  it("a bad parameter or an unknown id is the seed's error envelope naming it, never a 500", async () => {
    const bad = await send("GET", "/api/v1/dashboard/metrics/incidents?period=2y", undefined, auth());
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      success: false,
      error: expect.stringContaining("period"),
      request_id: expect.any(String),
    });
    const patch = await send("PATCH", "/api/v1/incidents/INC-1", { severity: "huge" }, auth());
    expect(patch.status).toBe(400);
    expect(patch.body).toMatchObject({ success: false, error: expect.stringContaining("severity") });
    const unknown = await send("GET", "/api/v1/incidents/INC-999999/timeline", undefined, auth());
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ success: false, details: {}, request_id: expect.any(String) });
  });
});
