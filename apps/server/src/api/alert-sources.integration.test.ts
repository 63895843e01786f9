import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signPagerDuty } from "../ingest/pagerduty-signature.js";
import { freePorts } from "../testing/free-ports.js";
import { prepareEnv, startInProcess, TEST_KEY } from "../testing/test-server.js";

/**
 * Alert sources over a real server: Debian's real Prometheus and Alertmanager (started here, rules that
 * fire at once, then resolve), Grafana's webhook payload, PagerDuty v3 signed events at seed 003's
 * `/webhook/pagerduty`, silences, and seed 002's alert list.
 */

const has = (bin: string) => {
  try {
    execFileSync(bin, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const required = process.env.AEGIS_REQUIRE_POSTGRES === "1";
const haveProm = has("prometheus") && has("prometheus-alertmanager");
if (!haveProm && required)
  throw new Error("prometheus and prometheus-alertmanager are required (AEGIS_REQUIRE_POSTGRES=1)");

let url: string;
let stop: () => Promise<void>;
const children: ChildProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  const te = await prepareEnv({ AEGIS_ALERT_GROUP_WINDOW_SECS: "300" });
  const started = await startInProcess(te);
  url = started.server.url;
  stop = started.stop;
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await stop?.();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const raw = typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body);
  const r = await fetch(`${url}${path}`, {
    method,
    headers: {
      "x-api-key": TEST_KEY,
      ...(raw !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(raw !== undefined ? { body: raw } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function waitHttp(target: string): Promise<void> {
  await until(target, async () => {
    try {
      return (await fetch(target)).ok;
    } catch {
      return false;
    }
  });
}

type Alert = {
  id: string;
  status: string;
  alertname: string;
  incident_id: string | null;
  grouped_into: string | null;
  suppressed_by: string | null;
  source: string;
};
const alerts = async (query = "") =>
  (await call("GET", `/api/v1/projects/default/monitoring/alerts?limit=100${query}`)).body as Alert[];

describe.skipIf(!haveProm && !required)("Prometheus → Alertmanager → AegisOps", () => {
  it("a firing group opens one incident, its repeat attaches, its resolution resolves it (real binaries)", async () => {
    const source = await call("PUT", "/api/v1/alert-sources/alertmanager", {});
    expect(source.status).toBe(200);
    const intake: string = source.body.url;
    expect(intake).toMatch(/^\/api\/v1\/alert-sources\/alertmanager\/aegis_al_/);
    // The token in the URL is the credential: a wrong one is refused before the body is read.
    expect(
      (await call("POST", "/api/v1/alert-sources/alertmanager/not-a-token-at-all", {}, { "x-api-key": "" })).status,
    ).toBe(401);

    const dir = mkdtempSync(join(tmpdir(), "aegis-prom-"));
    dirs.push(dir);
    const [promPort, amPort] = (await freePorts(2)) as [number, number];
    writeFileSync(
      join(dir, "alertmanager.yml"),
      `route:
  receiver: aegis
  group_by: ['service']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: aegis
    webhook_configs:
      - url: '${url}${intake}'
        send_resolved: true
`,
    );
    const rules = (op: string) => `groups:
  - name: aegis-test
    interval: 1s
    rules:
      - alert: CheckoutDown
        expr: vector(1) ${op} 0
        for: 0s
        labels: { service: checkout, severity: critical }
        annotations: { summary: checkout is down, description: every probe of checkout fails }
      - alert: CheckoutLatency
        expr: vector(1) ${op} 0
        for: 0s
        labels: { service: checkout, severity: warning }
        annotations: { summary: p99 latency above 2s }
`;
    writeFileSync(join(dir, "rules.yml"), rules(">"));
    writeFileSync(
      join(dir, "prometheus.yml"),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: ['${join(dir, "rules.yml")}']
alerting:
  alertmanagers:
    - static_configs: [{ targets: ['127.0.0.1:${amPort}'] }]
`,
    );
    const am = spawn(
      "prometheus-alertmanager",
      [
        `--config.file=${join(dir, "alertmanager.yml")}`,
        `--storage.path=${join(dir, "am")}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        "--cluster.listen-address=",
        "--log.level=warn",
      ],
      { stdio: "ignore" },
    );
    children.push(am);
    await waitHttp(`http://127.0.0.1:${amPort}/-/ready`);
    const prom = spawn(
      "prometheus",
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "tsdb")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        "--web.enable-lifecycle",
        // The first notification can go out before the Alertmanager is discovered; resend soon, not after 1 min.
        "--rules.alert.resend-delay=1s",
        "--log.level=warn",
      ],
      { stdio: "ignore" },
    );
    children.push(prom);
    await waitHttp(`http://127.0.0.1:${promPort}/-/ready`);

    // Both alerts of the group arrive (in one notification or two), and land on ONE incident.
    const firing = await until("two firing alerts", async () => {
      const list = (await alerts("&source=alertmanager&status=firing")).filter((a) =>
        a.alertname.startsWith("Checkout"),
      );
      const names = new Set(list.map((a) => a.alertname));
      return names.size === 2 ? list : null;
    });
    const leaders = new Set(firing.map((a) => a.grouped_into));
    expect(leaders.size).toBe(1);
    const leader = [...leaders][0] as string;
    const incident = await call("GET", `/incidents/${leader}`);
    expect(incident.status).toBe(200);
    expect(incident.body.alert_type).toMatch(/^Checkout/);
    expect(incident.body.grouped_into ?? null).toBeNull();

    // A later notification of the same group (new alert in it) joins the open incident.
    const later = {
      version: "4",
      groupKey: '{}:{service="checkout"}',
      truncatedAlerts: 0,
      status: "firing",
      receiver: "aegis",
      groupLabels: { service: "checkout" },
      commonLabels: { service: "checkout" },
      commonAnnotations: {},
      externalURL: `http://127.0.0.1:${amPort}`,
      alerts: [
        {
          status: "firing",
          labels: { alertname: "CheckoutErrors", service: "checkout", severity: "critical" },
          annotations: { summary: "5xx above 5%" },
          startsAt: new Date().toISOString(),
          endsAt: "0001-01-01T00:00:00Z",
          generatorURL: `http://127.0.0.1:${promPort}/graph`,
          fingerprint: "0123456789abcdef",
        },
      ],
    };
    const joined = await call("POST", intake, later, { "x-api-key": "" });
    expect(joined.status).toBe(200);
    await until("the later alert attached", async () => {
      const a = (await alerts("&alertname=CheckoutErrors"))[0];
      return a?.grouped_into === leader ? a : null;
    });
    const follower = await call("GET", `/incidents/${joined.body.incident_id}`);
    expect(follower.body.grouped_into).toBe(leader);
    expect(follower.body.timeline.map((e: { message: string }) => e.message).join("\n")).toMatch(
      new RegExp(`Grouped into incident ${leader}`),
    );

    // The rules stop firing: Prometheus resolves, Alertmanager sends the resolved notification.
    writeFileSync(join(dir, "rules.yml"), rules("<"));
    expect((await fetch(`http://127.0.0.1:${promPort}/-/reload`, { method: "POST" })).ok).toBe(true);
    const resolved = await until("the incident resolved by Alertmanager", async () => {
      const r = await call("GET", `/api/v1/incidents/${leader}`);
      return r.body?.state === "resolved" ? r.body : null;
    });
    expect(resolved.state).toBe("resolved");
    const timeline = (await call("GET", `/incidents/${leader}`)).body.timeline as { message: string; agent: string }[];
    expect(timeline.some((e) => e.agent === "LIFECYCLE" && /Prometheus Alertmanager/.test(e.message))).toBe(true);
    expect((await alerts("&source=alertmanager&status=resolved")).length).toBeGreaterThanOrEqual(2);
  }, 90_000);
});

describe("Grafana, PagerDuty, silences and the alert list", () => {
  it("Grafana's unified alerting payload opens an incident at its own intake URL", async () => {
    const { body } = await call("PUT", "/api/v1/alert-sources/grafana", {});
    const payload = {
      receiver: "aegis",
      status: "firing",
      orgId: 1,
      alerts: [
        {
          status: "firing",
          labels: { alertname: "High memory usage", service: "billing", grafana_folder: "ops" },
          annotations: { summary: "memory above 90%" },
          startsAt: "2026-12-06T05:00:00Z",
          endsAt: "0001-01-01T00:00:00Z",
          generatorURL: "http://grafana/alerting/grafana/abc/view",
          fingerprint: "c6eadffa33fcdf37",
          silenceURL: "http://grafana/alerting/silence/new",
          dashboardURL: "",
          panelURL: "",
          values: { B: 92.5, C: 1 },
          valueString: "[ var='B' labels={} value=92.5 ]",
        },
      ],
      groupLabels: { alertname: "High memory usage" },
      commonLabels: { alertname: "High memory usage", service: "billing" },
      commonAnnotations: { summary: "memory above 90%" },
      externalURL: "http://grafana/",
      version: "1",
      groupKey: '{}/{}:{alertname="High memory usage"}',
      truncatedAlerts: 0,
      title: "[FIRING:1] High memory usage (billing)",
      state: "alerting",
      message: "**Firing**",
    };
    const r = await call("POST", body.url, payload, { "x-api-key": "" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "success", created: true });
    // A retried delivery is the same incident, never a second.
    const again = await call("POST", body.url, payload, { "x-api-key": "" });
    expect(again.body).toMatchObject({ incident_id: r.body.incident_id, created: false });
    const incident = await until("grafana incident", async () => {
      const i = await call("GET", `/incidents/${r.body.incident_id}`);
      return i.status === 200 ? i.body : null;
    });
    expect(incident).toMatchObject({ alert_type: "High memory usage", severity: null });
    // A body that is not Grafana's: 422 naming the field.
    const bad = await call("POST", body.url, { ...payload, alerts: [{ status: "odd" }] }, { "x-api-key": "" });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("alerts");
  });

  it("PagerDuty v3: signatures verified (rotation: several), trigger / acknowledge / resolve, status and test", async () => {
    // Not configured yet: refused in seed 003's envelope.
    const unconfigured = await call("POST", "/webhook/pagerduty", { event: {} });
    expect(unconfigured.status).toBe(401);
    expect(unconfigured.body).toMatchObject({ success: false, error: expect.stringContaining("signing secret") });
    expect(typeof unconfigured.body.request_id).toBe("string");

    const secret = "pd-signing-secret-0123456789";
    expect(
      (await call("PUT", "/api/v1/alert-sources/pagerduty", { signing_secret: secret })).body.signing_secret_configured,
    ).toBe(true);
    const event = (id: string, type: string) =>
      JSON.stringify({
        event: {
          id,
          event_type: type,
          resource_type: "incident",
          occurred_at: new Date().toISOString(),
          agent: { id: "PUSER01", summary: "Dana On-Call", type: "user_reference" },
          client: null,
          data: {
            id: "Q1ABCDEF",
            type: "incident",
            self: "https://api.pagerduty.com/incidents/Q1ABCDEF",
            html_url: "https://acme.pagerduty.com/incidents/Q1ABCDEF",
            number: 42,
            status: type.split(".")[1],
            incident_key: "checkout-down",
            created_at: "2026-12-06T05:00:00Z",
            title: "Checkout is down",
            service: { id: "PSVC01", summary: "checkout", type: "service_reference" },
            urgency: "high",
          },
        },
      });
    const post = (raw: string, sig: string) =>
      call("POST", "/webhook/pagerduty", raw, { "x-pagerduty-signature": sig });

    const triggered = event("01EVT1", "incident.triggered");
    const forged = await post(triggered, signPagerDuty(triggered, "some-other-secret"));
    expect(forged.status).toBe(401);
    expect(forged.body.success).toBe(false);
    // Any of several comma-separated signatures may match (secret rotation).
    const ok = await post(
      triggered,
      `${signPagerDuty(triggered, "old-secret-xyz")}, ${signPagerDuty(triggered, secret)}`,
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      success: true,
      data: { event_type: "incident.triggered", action: "accepted", incident_id: "pd-01EVT1" },
    });
    const again = event("01EVT2", "incident.triggered");
    expect((await post(again, signPagerDuty(again, secret))).body.data.incident_id).toBe("pd-01EVT2");
    await until("the second trigger attached", async () => {
      const i = await call("GET", "/incidents/pd-01EVT2");
      return i.body?.grouped_into === "pd-01EVT1";
    });
    const ack = event("01EVT3", "incident.acknowledged");
    expect((await post(ack, signPagerDuty(ack, secret))).body.data).toMatchObject({
      action: "acknowledged",
      incident_id: "pd-01EVT1",
    });
    const res = event("01EVT4", "incident.resolved");
    expect((await post(res, signPagerDuty(res, secret))).body.data).toMatchObject({
      action: "resolved",
      incident_id: "pd-01EVT1",
    });
    const v1 = await call("GET", "/api/v1/incidents/pd-01EVT1");
    expect(v1.body.state).toBe("resolved");

    const status = await call("GET", "/webhook/pagerduty/status");
    expect(status.body).toMatchObject({
      success: true,
      data: { signing_secret_configured: true, received: 4, rejected: 2, last_event_type: "incident.resolved" },
    });
    const test = await call("POST", "/webhook/pagerduty/test", {
      payload: res,
      signature: signPagerDuty(res, "wrong"),
    });
    expect(test.body.data).toMatchObject({
      signing_secret_configured: true,
      self_test: true,
      delivery_signature_valid: false,
    });
  });

  it("silences: member+ creates, the record stays, alerts are kept and marked; the list filters and 404s other projects", async () => {
    const now = Date.now();
    const bad = await call("POST", "/api/v1/silences", {
      matchers: [{ name: "service", value: "search" }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now - 1000).toISOString(),
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("endsAt");
    const badRegex = await call("POST", "/api/v1/silences", {
      matchers: [{ name: "service", value: "(", isRegex: true }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 60_000).toISOString(),
    });
    expect(badRegex.status).toBe(422);
    const created = await call("POST", "/api/v1/silences", {
      matchers: [{ name: "service", value: "search" }],
      startsAt: new Date(now - 1000).toISOString(),
      endsAt: new Date(now + 600_000).toISOString(),
      comment: "reindexing",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: "silence", status: { state: "active" }, createdBy: expect.any(String) });
    const mw = await call("POST", "/api/v1/maintenance-windows", {
      name: "db upgrade",
      matchers: [{ name: "service", value: "postgres" }],
      startsAt: new Date(now + 60_000).toISOString(),
      endsAt: new Date(now + 600_000).toISOString(),
    });
    expect(mw.body.status.state).toBe("pending");
    expect((await call("GET", "/api/v1/maintenance-windows")).body.map((w: { id: string }) => w.id)).toContain(
      mw.body.id,
    );

    const w = await call("POST", "/webhook", {
      incident_id: "sil-1",
      alert_type: "Slow queries",
      logs: "p99 4s",
      container_name: "search",
    });
    expect(w.status).toBe(200);
    const marked = await until("silenced alert", async () => (await alerts("&service=search"))[0]);
    expect(marked.suppressed_by).toBe(created.body.id);
    const timeline = (await call("GET", "/incidents/sil-1")).body.timeline as { message: string }[];
    expect(timeline.some((e) => e.message.includes(`silence ${created.body.id}`))).toBe(true);

    const expired = await call("DELETE", `/api/v1/silences/${created.body.id}`);
    expect(expired.body).toMatchObject({ status: { state: "expired" }, suppressed: 1 });
    expect((await call("GET", `/api/v1/silences/${created.body.id}`)).status).toBe(200);

    // Seed 002 list: newest first, filtered, total in a header; another project is 404 in seed 002's envelope.
    const list = await call("GET", "/api/v1/projects/default/monitoring/alerts?limit=2");
    expect(list.body.length).toBe(2);
    expect(Number(list.headers.get("x-total-count"))).toBeGreaterThanOrEqual(2);
    const times = list.body.map((a: { received_at: string }) => a.received_at);
    expect([...times].sort().reverse()).toEqual(times);
    const other = await call("GET", "/api/v1/projects/nope/monitoring/alerts");
    expect(other.status).toBe(404);
    expect(other.body).toHaveProperty("detail");
    expect((await call("GET", "/api/v1/projects/default/monitoring/alerts?status=odd")).status).toBe(422);
  });
});
