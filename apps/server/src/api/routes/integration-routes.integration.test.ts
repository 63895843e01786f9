import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { IntegrationRegistry } from "../../integrations/integration-registry.js";
import { SecretBox } from "../../integrations/secret-box.js";
import { startVendor } from "../../integrations/test-vendor-receiver.js";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from "../../integrations/webhook-signature.js";
import { IntegrationStore } from "../../store/integration-store.js";
import { integrations } from "../../store/schema-integrations.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../../testing/test-databases.js";
import { accountsApp, memberWithRole, registerUser } from "../test-accounts-app.js";

describe.each(testDatabaseKinds())("integrations registry over HTTP (seeds 002 and 003) on %s", (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await app?.close();
    for (const c of closers.splice(0)) await c();
    await t?.cleanup();
  });

  async function setup() {
    t = await freshDatabase(kind);
    const registry = new IntegrationRegistry(t.database, new IntegrationStore(), new SecretBox(randomBytes(32)), 2000);
    app = await accountsApp(t.database, { integrations: registry });
    const owner = await registerUser(app, "owner@acme.test");
    const viewer = await memberWithRole(app, owner.headers, owner.projectId, "viewer@acme.test", "viewer");
    return { owner, viewer };
  }

  async function vendor(answer: Parameters<typeof startVendor>[0]) {
    const v = await startVendor(answer);
    closers.push(v.close);
    return v;
  }

  it("seed 003: configure, mask, really test, sync, log and count a Prometheus integration", async () => {
    const { owner, viewer } = await setup();
    const prom = await vendor((r) => {
      if (r.headers.authorization !== "Bearer prom-token-abcdef123456") return { status: 401, text: "unauthorized" };
      if (r.url === "/api/v1/query?query=up") {
        return {
          status: 200,
          json: {
            status: "success",
            data: {
              resultType: "vector",
              result: [
                { metric: { job: "api" }, value: [1, "1"] },
                { metric: { job: "db" }, value: [1, "0"] },
              ],
            },
          },
        };
      }
      if (r.url === "/api/v1/alerts") {
        return {
          status: 200,
          json: {
            status: "success",
            data: {
              alerts: [
                {
                  labels: { alertname: "HighErrorRate" },
                  state: "firing",
                  activeAt: "2026-12-06T05:00:00Z",
                  value: "0.2",
                },
              ],
            },
          },
        };
      }
      return { status: 404, text: "not found" };
    });

    const put = await app.inject({
      method: "PUT",
      url: "/api/v1/integrations/prometheus/config",
      headers: owner.headers,
      payload: { config: { url: prom.url, bearer_token: "prom-token-abcdef123456" } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      success: true,
      data: {
        name: "prometheus",
        type: "prometheus",
        status: "configured",
        config: { url: prom.url, bearer_token: "••••3456" },
      },
    });
    expect(put.body).not.toContain("prom-token");
    // At rest: sealed, not the token.
    const [row] = await t.database.db.select().from(integrations);
    expect(JSON.stringify(row?.secrets)).not.toContain("prom-token");

    // A viewer reads but does not configure.
    expect((await app.inject({ url: "/api/v1/integrations", headers: viewer.headers })).json().data.total).toBe(1);
    const refused = await app.inject({
      method: "PUT",
      url: "/api/v1/integrations/prometheus/config",
      headers: viewer.headers,
      payload: { config: { url: prom.url } },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ success: false, request_id: expect.any(String) });

    const test = await app.inject({
      method: "POST",
      url: "/api/v1/integrations/prometheus/test",
      headers: owner.headers,
    });
    expect(test.json().data).toMatchObject({
      success: true,
      type: "prometheus",
      detail: "query up: 2 targets, 1 up",
      error: null,
    });
    expect(test.json().data.latency_ms).toBeGreaterThanOrEqual(0);
    expect(prom.received[0]?.url).toBe("/api/v1/query?query=up");

    const sync = await app.inject({
      method: "POST",
      url: "/api/v1/integrations/prometheus/sync",
      headers: owner.headers,
    });
    expect(sync.json().data).toMatchObject({ synced: true, detail: "1 active alerts (1 firing)" });
    expect(sync.json().data.items[0].labels.alertname).toBe("HighErrorRate");

    const got = await app.inject({ url: "/api/v1/integrations/prometheus", headers: owner.headers });
    expect(got.json().data).toMatchObject({ status: "connected", last_test: { ok: true, error: null } });

    const logs = await app.inject({ url: "/api/v1/integrations/prometheus/logs?limit=10", headers: owner.headers });
    expect(logs.json().data.logs.map((l: { event: string }) => l.event)).toEqual(["sync", "test", "config"]);

    const metrics = await app.inject({
      url: "/api/v1/integrations/prometheus/metrics?period=1h",
      headers: owner.headers,
    });
    expect(metrics.json().data).toMatchObject({
      period: "1h",
      tests: { ok: 1, failed: 0 },
      deliveries: { sent: 0, failed: 0, total: 0 },
      success_rate: null,
    });

    const badPeriod = await app.inject({
      url: "/api/v1/integrations/prometheus/metrics?period=soon",
      headers: owner.headers,
    });
    expect(badPeriod.statusCode).toBe(400);
    expect(badPeriod.json()).toMatchObject({ success: false, details: { field: "period" } });

    // The server stops answering: the test reports the error, and the status follows.
    await prom.close();
    const down = await app.inject({
      method: "POST",
      url: "/api/v1/integrations/prometheus/test",
      headers: owner.headers,
    });
    expect(down.json().data).toMatchObject({ success: false, error: "ECONNREFUSED" });
    expect(
      (await app.inject({ url: "/api/v1/integrations/prometheus", headers: owner.headers })).json().data.status,
    ).toBe("error");

    const available = await app.inject({ url: "/api/v1/integrations/available", headers: owner.headers });
    const slack = available.json().data.available.find((a: { type: string }) => a.type === "slack");
    expect(slack.fields).toContainEqual({ name: "bot_token", secret: true, required: false });
    expect(available.json().data.available.find((a: { type: string }) => a.type === "prometheus").configured).toBe(
      true,
    );
  });

  it("seed 003: bad settings are a 400 naming the field; an unknown name is 404; a non-kind name needs a type", async () => {
    const { owner } = await setup();
    const bad = await app.inject({
      method: "PUT",
      url: "/api/v1/integrations/slack/config",
      headers: owner.headers,
      payload: { config: { channel: "#ops" } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      success: false,
      error: expect.stringContaining("webhook_url"),
      details: { field: "config" },
    });
    const badUrl = await app.inject({
      method: "PUT",
      url: "/api/v1/integrations/grafana/config",
      headers: owner.headers,
      payload: { config: { url: "not a url" } },
    });
    expect(badUrl.json()).toMatchObject({ details: { field: "config.url" } });
    const noType = await app.inject({
      method: "PUT",
      url: "/api/v1/integrations/ops-chat/config",
      headers: owner.headers,
      payload: { config: { webhook_url: "https://hooks.slack.com/services/T/B/X" } },
    });
    expect(noType.json()).toMatchObject({ success: false, details: { field: "type" } });
    const created = await app.inject({
      method: "PUT",
      url: "/api/v1/integrations/ops-chat/config",
      headers: owner.headers,
      payload: { type: "slack", config: { webhook_url: "https://hooks.slack.com/services/T/B/X" } },
    });
    expect(created.statusCode).toBe(200);
    const otherType = await app.inject({
      method: "PUT",
      url: "/api/v1/integrations/ops-chat/config",
      headers: owner.headers,
      payload: { type: "teams", config: {} },
    });
    expect(otherType.statusCode).toBe(409);
    expect(otherType.json().error).toBe("integration ops-chat is a slack integration, not teams");
    const missing = await app.inject({ url: "/api/v1/integrations/nothing-here", headers: owner.headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ success: false, error: "integration nothing-here not found" });
  });

  it("rotate-api-key: a webhook's signing secret is regenerated, shown once, and signs the next delivery", async () => {
    const { owner, viewer } = await setup();
    const hook = await vendor(() => ({ status: 200, json: { ok: true } }));
    const first = "whsec-original-0123456789";
    await app.inject({
      method: "PUT",
      url: "/api/v1/integrations/hook/config",
      headers: owner.headers,
      payload: { type: "webhook", config: { url: hook.url, secret: first } },
    });
    expect(
      (
        await app.inject({
          method: "POST",
          url: "/api/v1/security/rotate-api-key?service=hook",
          headers: viewer.headers,
        })
      ).statusCode,
    ).toBe(403);
    const rotated = await app.inject({
      method: "POST",
      url: "/api/v1/security/rotate-api-key?service=hook",
      headers: owner.headers,
    });
    expect(rotated.statusCode).toBe(200);
    const data = rotated.json().data;
    expect(data).toMatchObject({ service: "hook", type: "webhook", rotated: ["secret"], re_encrypted: ["secret"] });
    const fresh = data.generated.secret as string;
    expect(fresh).not.toBe(first);
    expect(
      (await app.inject({ url: "/api/v1/integrations/hook", headers: owner.headers })).json().data.config.secret,
    ).toBe(`••••${fresh.slice(-4)}`);

    await app.inject({ method: "POST", url: "/api/v1/integrations/hook/test", headers: owner.headers });
    const ping = hook.received[0];
    const headers = {
      signature: ping?.headers[SIGNATURE_HEADER] as string,
      timestamp: ping?.headers[TIMESTAMP_HEADER] as string,
    };
    expect(verifyWebhook(fresh, headers, ping?.body ?? "")).toBe(true);
    expect(verifyWebhook(first, headers, ping?.body ?? "")).toBe(false);

    const wrongField = await app.inject({
      method: "POST",
      url: "/api/v1/security/rotate-api-key?service=hook",
      headers: owner.headers,
      payload: { secrets: { password: "x" } },
    });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().details.field).toBe("password");
    const unknown = await app.inject({
      method: "POST",
      url: "/api/v1/security/rotate-api-key?service=github",
      headers: owner.headers,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("seed 002: the same rows by id, admin-gated, test-connection before {integration_id}, other tenants see nothing", async () => {
    const { owner, viewer } = await setup();
    const grafana = await vendor((r) =>
      r.url === "/api/health"
        ? { status: 200, json: { commit: "abc", database: "ok", version: "11.2.0" } }
        : { status: 404, text: "" },
    );
    const base = `/api/v1/projects/${owner.projectId}/monitoring/integrations`;
    const body = {
      name: "grafana-main",
      type: "grafana",
      config: { url: grafana.url, api_token: "glsa_secret_token_9876" },
    };

    const denied = await app.inject({ method: "POST", url: base, headers: viewer.headers, payload: body });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({ detail: "requires the admin role or above" });

    const created = await app.inject({ method: "POST", url: base, headers: owner.headers, payload: body });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(created.json().config.api_token).toBe("••••9876");
    expect((await app.inject({ method: "POST", url: base, headers: owner.headers, payload: body })).statusCode).toBe(
      409,
    );

    // The same row through seed 003, by name.
    const byName = await app.inject({ url: "/api/v1/integrations/grafana-main", headers: owner.headers });
    expect(byName.json().data.id).toBe(id);

    const tc = await app.inject({
      method: "POST",
      url: `${base}/test-connection`,
      headers: owner.headers,
      payload: { type: "grafana", config: { url: grafana.url } },
    });
    expect(tc.statusCode).toBe(200);
    expect(tc.json()).toMatchObject({ success: true, type: "grafana", detail: "Grafana 11.2.0, database ok" });
    const tcViewer = await app.inject({
      method: "POST",
      url: `${base}/test-connection`,
      headers: viewer.headers,
      payload: { type: "grafana", config: { url: grafana.url } },
    });
    expect(tcViewer.statusCode).toBe(403);
    const tcBad = await app.inject({
      method: "POST",
      url: `${base}/test-connection`,
      headers: owner.headers,
      payload: { type: "grafana", config: {} },
    });
    expect(tcBad.statusCode).toBe(400);

    const tested = await app.inject({ method: "POST", url: `${base}/${id}/test`, headers: owner.headers });
    expect(tested.json()).toMatchObject({ success: true });
    expect(grafana.received.at(-1)?.headers.authorization).toBe("Bearer glsa_secret_token_9876");

    const patched = await app.inject({
      method: "PATCH",
      url: `${base}/${id}`,
      headers: owner.headers,
      payload: { enabled: false, config: { api_token: "••••9876" } },
    });
    expect(patched.json()).toMatchObject({ enabled: false, status: "disabled", config: { api_token: "••••9876" } });
    expect((await app.inject({ url: `${base}/${id}`, headers: viewer.headers })).json().id).toBe(id);

    const stranger = await registerUser(app, "mallory@evil.test");
    expect((await app.inject({ url: base, headers: stranger.headers })).statusCode).toBe(404);

    expect((await app.inject({ method: "DELETE", url: `${base}/${id}`, headers: viewer.headers })).statusCode).toBe(
      403,
    );
    expect((await app.inject({ method: "DELETE", url: `${base}/${id}`, headers: owner.headers })).statusCode).toBe(204);
    const gone = await app.inject({ url: `${base}/${id}`, headers: owner.headers });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ detail: `integration ${id} not found` });
  });
});
