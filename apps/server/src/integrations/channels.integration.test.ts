import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import type { PageMessage } from "../ports/notifier.js";
import { createLogger } from "../shared/logger.js";
import { AccountStore } from "../store/account-store.js";
import { DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { IntegrationStore } from "../store/integration-store.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { ChannelNotifier } from "./channel-notifier.js";
import { IntegrationRegistry } from "./integration-registry.js";
import { MemberContacts } from "./member-contacts.js";
import { SecretBox } from "./secret-box.js";
import { startVendor } from "./test-vendor-receiver.js";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from "./webhook-signature.js";

const APPROVAL: PageMessage = {
  kind: "approval_request",
  incidentId: "INC-7",
  title: "Memory Leak on api",
  body: "Heap grows 40 MB/min since the 14:02 deploy.",
  severity: "critical",
  approval: { action: "RESTART", target: "api", reason: "restart budget reached: a human decides" },
};
const TRIGGER: PageMessage = {
  kind: "trigger",
  incidentId: "INC-7",
  title: "Memory Leak on api",
  body: "OOM",
  severity: "high",
};

describe.each(testDatabaseKinds())("notification channels on %s", (kind) => {
  let t: TestDatabase;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await t?.cleanup();
  });

  async function setup(maxAttempts = 3) {
    t = await freshDatabase(kind);
    const registry = new IntegrationRegistry(t.database, new IntegrationStore(), new SecretBox(randomBytes(32)), 2000);
    const notifier = new ChannelNotifier(
      registry,
      new MemberContacts(t.database, new AccountStore()),
      { maxAttempts, backoffMs: 10, maxWaitMs: 3000, timeoutMs: 2000, source: "aegis-test", minIntervalMs: {} },
      createLogger("silent"),
    );
    return { registry, notifier };
  }

  async function vendor(answer: Parameters<typeof startVendor>[0]) {
    const v = await startVendor(answer);
    closers.push(v.close);
    return v;
  }

  it("Slack chat.postMessage: Block Kit with Approve/Reject, bearer token, a 429 honoured via Retry-After", async () => {
    const { registry, notifier } = await setup();
    const slack = await vendor((_r, n) =>
      n === 1
        ? { status: 429, json: { ok: false, error: "ratelimited" }, headers: { "retry-after": "1" } }
        : { status: 200, json: { ok: true, channel: "C0OPS", ts: "1712345678.000100" } },
    );
    await registry.create(P, {
      name: "slack-ops",
      type: "slack",
      config: { api_url: slack.url, bot_token: "xoxb-0000-test-token", channel: "C0OPS" },
    });
    const started = Date.now();
    const [d] = await notifier.notify(P, [{ kind: "channel", channel: "slack-ops" }], APPROVAL);
    expect(d).toMatchObject({ channel: "slack", status: "sent", attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950); // waited the Retry-After, not the 10 ms backoff
    const req = slack.received[1];
    expect(req?.url).toBe("/chat.postMessage");
    expect(req?.headers.authorization).toBe("Bearer xoxb-0000-test-token");
    expect(req?.headers["content-type"]).toMatch(/^application\/json/);
    const body = JSON.parse(req?.body ?? "{}");
    expect(body.channel).toBe("C0OPS");
    expect(body.text).toContain("Approval needed");
    const actions = body.blocks.find((b: { type: string }) => b.type === "actions");
    expect(actions.elements.map((e: { action_id: string }) => e.action_id)).toEqual(["aegis_approve", "aegis_reject"]);
    expect(JSON.parse(actions.elements[0].value)).toEqual({ incident_id: "INC-7" });
    expect(actions.elements[1].style).toBe("danger");

    const logs = await registry.logs(P, "slack-ops", { limit: 10 });
    const delivery = logs.find((l) => l.event === "delivery");
    expect(delivery).toMatchObject({ status: "sent", attempts: 2, level: "info" });
    const m = await registry.metrics(P, "slack-ops", "1h");
    expect(m.deliveries).toEqual({ sent: 1, failed: 0, total: 1 });
    expect(m.latency_ms.max).not.toBeNull();
  });

  it("Slack: an incoming webhook's refusal (404 channel_not_found) is not retried; ok:false from the Web API is a failure", async () => {
    const { registry, notifier } = await setup();
    const hook = await vendor(() => ({ status: 404, text: "channel_not_found" }));
    const api = await vendor(() => ({ status: 200, json: { ok: false, error: "not_in_channel" } }));
    await registry.create(P, { name: "hook", type: "slack", config: { webhook_url: `${hook.url}/services/T/B/X` } });
    await registry.create(P, {
      name: "api",
      type: "slack",
      config: { api_url: api.url, bot_token: "xoxb-1", channel: "C1" },
    });
    const [a, b] = await notifier.notify(
      P,
      [
        { kind: "channel", channel: "hook" },
        { kind: "channel", channel: "api" },
      ],
      TRIGGER,
    );
    expect(a).toMatchObject({ status: "failed", attempts: 1 });
    expect(a?.error).toContain("channel_not_found");
    expect(hook.received[0]?.url).toBe("/services/T/B/X");
    expect(JSON.parse(hook.received[0]?.body ?? "{}").blocks[0].type).toBe("header");
    expect(b).toMatchObject({ status: "failed", attempts: 1, error: "slack chat.postMessage: not_in_channel" });
    expect((await registry.metrics(P, "hook", "1h")).deliveries).toEqual({ sent: 0, failed: 1, total: 1 });
  });

  it("Teams: an Adaptive Card in a message attachment, with Action.Submit buttons", async () => {
    const { registry, notifier } = await setup();
    const teams = await vendor(() => ({ status: 200, text: "1" }));
    await registry.create(P, { name: "teams", type: "teams", config: { webhook_url: `${teams.url}/webhookb2/abc` } });
    const [d] = await notifier.notify(P, [{ kind: "channel", channel: "teams" }], APPROVAL);
    expect(d).toMatchObject({ channel: "teams", status: "sent", attempts: 1 });
    const body = JSON.parse(teams.received[0]?.body ?? "{}");
    expect(body.type).toBe("message");
    expect(body.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    const card = body.attachments[0].content;
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    expect(card.actions.slice(0, 2)).toEqual([
      {
        type: "Action.Submit",
        title: "Approve",
        style: "positive",
        data: { aegis_action: "approve", incident_id: "INC-7" },
      },
      {
        type: "Action.Submit",
        title: "Reject",
        style: "destructive",
        data: { aegis_action: "reject", incident_id: "INC-7" },
      },
    ]);
    expect(card.body.find((b: { type: string }) => b.type === "FactSet").facts).toContainEqual({
      title: "Action",
      value: "RESTART on api",
    });
  });

  it("PagerDuty Events v2: trigger with payload, resolve with the dedup key after a 429, 400 not retried", async () => {
    const { registry, notifier } = await setup();
    let limited = false;
    const pd = await vendor((r) => {
      const e = JSON.parse(r.body);
      if (r.url !== "/v2/enqueue") return { status: 404, json: { message: "not found" } };
      if (!e.routing_key || e.routing_key === "bad")
        return {
          status: 400,
          json: { status: "invalid event", message: "Event object is invalid", errors: ["'routing_key' is invalid"] },
        };
      if (e.event_action === "resolve" && !limited) {
        limited = true;
        return {
          status: 429,
          json: { status: "throttle event", message: "Requests for this service are arriving too quickly." },
        };
      }
      return { status: 202, json: { status: "success", message: "Event processed", dedup_key: e.dedup_key } };
    });
    await registry.create(P, {
      name: "pd",
      type: "pagerduty",
      config: { routing_key: "R0UT1NGKEY0123456789abcdef012345", events_url: pd.url },
    });
    const [trig] = await notifier.notify(P, [{ kind: "channel", channel: "pd" }], TRIGGER);
    expect(trig).toMatchObject({ status: "sent", attempts: 1 });
    const t1 = JSON.parse(pd.received[0]?.body ?? "{}");
    expect(t1).toMatchObject({
      routing_key: "R0UT1NGKEY0123456789abcdef012345",
      event_action: "trigger",
      dedup_key: "INC-7",
      payload: { summary: "[HIGH] Memory Leak on api", source: "aegis-test", severity: "error" },
    });
    const [res] = await notifier.notify(P, [{ kind: "channel", channel: "pd" }], { ...TRIGGER, kind: "resolve" });
    expect(res).toMatchObject({ status: "sent", attempts: 2 });
    expect(JSON.parse(pd.received.at(-1)?.body ?? "{}")).toEqual({
      routing_key: "R0UT1NGKEY0123456789abcdef012345",
      event_action: "resolve",
      dedup_key: "INC-7",
    });
    await registry.create(P, { name: "pd-bad", type: "pagerduty", config: { routing_key: "bad", events_url: pd.url } });
    const [bad] = await notifier.notify(P, [{ kind: "channel", channel: "pd-bad" }], TRIGGER);
    expect(bad).toMatchObject({ status: "failed", attempts: 1 });
    expect(bad?.error).toContain("routing_key");
  });

  it("signed webhook: the receiver verifies X-Signature-256; 5xx is retried until attempts run out", async () => {
    const { registry, notifier } = await setup(3);
    const secret = "whsec-0123456789abcdef";
    const ok = await vendor(() => ({ status: 204 }));
    const down = await vendor(() => ({ status: 503, text: "upstream down" }));
    await registry.create(P, { name: "hook", type: "webhook", config: { url: `${ok.url}/hooks/aegis`, secret } });
    await registry.create(P, { name: "down", type: "webhook", config: { url: down.url, secret } });
    const [a, b] = await notifier.notify(
      P,
      [
        { kind: "channel", channel: "hook" },
        { kind: "channel", channel: "down" },
      ],
      TRIGGER,
    );
    expect(a).toMatchObject({ status: "sent", attempts: 1 });
    const r = ok.received[0];
    const headers = {
      signature: r?.headers[SIGNATURE_HEADER] as string,
      timestamp: r?.headers[TIMESTAMP_HEADER] as string,
    };
    expect(verifyWebhook(secret, headers, r?.body ?? "")).toBe(true);
    expect(verifyWebhook("another-secret-0123", headers, r?.body ?? "")).toBe(false);
    expect(JSON.parse(r?.body ?? "{}")).toMatchObject({ event: "page.trigger", data: { incidentId: "INC-7" } });
    expect(b).toMatchObject({ status: "failed", attempts: 3, error: "HTTP 503: upstream down" });
    expect(down.received).toHaveLength(3);
    const logs = await registry.logs(P, "down", { limit: 5, level: "error" });
    expect(logs[0]).toMatchObject({ event: "delivery", status: "failed", attempts: 3 });
  });

  it("email over SMTP (a real smtp-server with AUTH): a user target gets their own address", async () => {
    const { registry, notifier } = await setup();
    const mails: { from: string; to: string[]; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ["STARTTLS"],
      onAuth(auth, _s, cb) {
        if (auth.username === "aegis" && auth.password === "smtp-pass-123") cb(null, { user: "aegis" });
        else cb(new Error("Invalid username or password"));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((x) => x.address),
            data: Buffer.concat(chunks).toString("utf8"),
          });
          cb();
        });
      },
    });
    await new Promise<void>((ok) => smtp.listen(0, "127.0.0.1", () => ok()));
    closers.push(() => new Promise<void>((ok) => smtp.close(() => ok())));
    const port = (smtp.server.address() as AddressInfo).port;

    const accounts = new AccountStore();
    const db = t.database.db;
    await accounts.insertTenant(db, { id: "t1", name: "Acme", slug: "acme" });
    await accounts.insertUser(db, {
      id: "u1",
      tenantId: "t1",
      email: "alice@acme.test",
      fullName: "Alice",
      passwordHash: "x",
    });
    await accounts.addMember(db, P, "u1", "member");
    const base = { host: "127.0.0.1", port, username: "aegis", from: "aegis@acme.test" };
    await registry.create(P, {
      name: "mail",
      type: "email",
      config: { ...base, password: "smtp-pass-123", to: ["oncall@acme.test"] },
    });

    const test = await registry.test(P, "mail");
    expect(test).toMatchObject({ success: true, error: null });
    expect(test.detail).toContain("accepted EHLO and AUTH");

    // Alice is also mapped in a Slack workspace: a user page reaches her email and her Slack DM.
    const slack = await vendor(() => ({ status: 200, json: { ok: true, channel: "D0ALICE", ts: "1.1" } }));
    await registry.create(P, {
      name: "slack",
      type: "slack",
      config: {
        api_url: slack.url,
        bot_token: "xoxb-dm-token",
        channel: "C0OPS",
        user_map: { U0ALICE: "alice@acme.test" },
      },
    });
    const toUser = await notifier.notify(P, [{ kind: "user", userId: "u1" }], TRIGGER);
    expect(toUser.map((d) => [d.channel, d.status]).sort()).toEqual([
      ["email", "sent"],
      ["slack", "sent"],
    ]);
    expect(JSON.parse(slack.received[0]?.body ?? "{}").channel).toBe("U0ALICE");
    const [toList] = await notifier.notify(P, [{ kind: "channel", channel: "mail" }], APPROVAL);
    expect(toList).toMatchObject({ status: "sent" });
    expect(mails.map((m) => m.to)).toEqual([["alice@acme.test"], ["oncall@acme.test"]]);
    expect(mails[0]?.from).toBe("aegis@acme.test");
    expect(mails[0]?.data).toMatch(/^Subject: \[HIGH\] Memory Leak on api/m);
    expect(mails[1]?.data).toContain("Proposed action: RESTART on api");

    const [nobody] = await notifier.notify(P, [{ kind: "user", userId: "u-unknown" }], TRIGGER);
    expect(nobody).toMatchObject({ status: "failed", channel: "none" });

    // Wrong password: the test says so (SMTP 535), and no secret is ever shown.
    await registry.configure(P, "mail", { config: { password: "wrong-password" } });
    const refused = await registry.test(P, "mail");
    expect(refused.success).toBe(false);
    expect(refused.error).toMatch(/535|Invalid/);
    expect(JSON.stringify(await registry.get(P, "mail"))).not.toContain("wrong-password");
  });
});
