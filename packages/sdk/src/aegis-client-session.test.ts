import { describe, expect, it } from "vitest";
import { AegisApiError } from "./aegis-api-error.js";
import { AegisClient } from "./aegis-client.js";

/** A scripted `fetch`: answers in turn, and records what was sent. */
function scripted(answers: { status: number; body: unknown }[]) {
  const sent: { url: string; method: string; auth: string | null; key: string | null; body: unknown }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const h = new Headers(init.headers);
    sent.push({
      url,
      method: String(init.method),
      auth: h.get("authorization"),
      key: h.get("x-api-key"),
      body: init.body ? JSON.parse(String(init.body)) : null,
    });
    const a = answers.shift() ?? { status: 500, body: { error: "unscripted" } };
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { "content-type": "application/json" } });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

describe("AegisClient for a signed-in user", () => {
  it("sends the bearer token read at each request", async () => {
    let token = "t1";
    const s = scripted([
      { status: 200, body: [] },
      { status: 200, body: [] },
    ]);
    const c = new AegisClient("http://x", undefined, { fetch: s.fetch, bearer: () => token });
    await c.hypotheses("i1");
    token = "t2";
    await c.projects();
    expect(s.sent.map((r) => [r.url, r.auth, r.key])).toEqual([
      ["http://x/api/v1/incidents/i1/hypotheses", "Bearer t1", null],
      ["http://x/api/v1/projects", "Bearer t2", null],
    ]);
  });

  it("renews once on a 401 and sends the request again; a failed renewal returns the 401", async () => {
    let token = "old";
    let renewals = 0;
    const s = scripted([
      { status: 401, body: { error: "expired", code: "unauthorized" } },
      {
        status: 200,
        body: {
          success: true,
          message: "0 of 0",
          data: { items: [], total: 0, page: 2, page_size: 25, has_next: false },
        },
      },
      { status: 401, body: { error: "expired", code: "unauthorized" } },
    ]);
    const c = new AegisClient("http://x", undefined, {
      fetch: s.fetch,
      bearer: () => token,
      renew: async () => {
        renewals++;
        token = "new";
        return renewals === 1;
      },
    });
    const page = await c.incidentPage({ state: "resolved", page: 2 });
    expect(page.total).toBe(0);
    expect(s.sent.map((r) => r.auth)).toEqual(["Bearer old", "Bearer new"]);
    expect(s.sent[1]?.url).toBe("http://x/api/v1/incidents?page=2&page_size=25&state=resolved");
    const refused = await c.topology().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AegisApiError);
    expect((refused as AegisApiError).status).toBe(401);
    expect(renewals).toBe(2);
  });

  it("never renews for the auth endpoints themselves", async () => {
    let renewals = 0;
    const s = scripted([{ status: 401, body: { error: "bad credentials", code: "unauthorized" } }]);
    const c = new AegisClient("http://x", undefined, {
      fetch: s.fetch,
      renew: async () => {
        renewals++;
        return true;
      },
    });
    await expect(c.login("a@b.c", "pw")).rejects.toMatchObject({ status: 401 });
    expect(renewals).toBe(0);
    expect(s.sent[0]?.body).toEqual({ email: "a@b.c", password: "pw" });
  });

  it("unwraps seed 003 envelopes and answers null where the server has no such resource", async () => {
    const s = scripted([
      { status: 200, body: { success: true, message: "ok", data: { on_call: "ana" } } },
      { status: 404, body: { success: false, error: "Not Found" } },
      { status: 500, body: { success: false, error: "boom" } },
    ]);
    const c = new AegisClient("http://x", "k", { fetch: s.fetch });
    expect(await c.seed003("/api/v1/settings/oncall-schedules")).toEqual({ on_call: "ana" });
    expect(await c.seed003("/api/v1/dashboard/stats")).toBeNull();
    await expect(c.seed003("/api/v1/security/audit-logs")).rejects.toMatchObject({ status: 500 });
    expect(s.sent.map((r) => r.key)).toEqual(["k", "k", "k"]);
  });

  it("changes state, scales and switches project with the documented bodies and paths", async () => {
    const s = scripted([
      { status: 200, body: {} },
      { status: 200, body: {} },
      { status: 200, body: {} },
      { status: 200, body: {} },
    ]);
    const c = new AegisClient("http://x", "k", { fetch: s.fetch });
    await c.changeState("INC-3", "acknowledged", "on it");
    await c.scaleUp(3);
    await c.scaleDown();
    await c.switchProject("p2");
    expect(s.sent.map((r) => [r.method, r.url.slice(8), r.body])).toEqual([
      ["PATCH", "/api/v1/incidents/INC-3/state", { state: "acknowledged", note: "on it" }],
      ["POST", "/scale/up?count=3", null],
      ["POST", "/scale/down", null],
      ["POST", "/api/v1/auth/switch-project", { project_id: "p2" }],
    ]);
  });
});
