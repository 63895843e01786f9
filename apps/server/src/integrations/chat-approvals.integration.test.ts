import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { injectApp } from "../api/test-inject-app.js";
import { IncidentService } from "../engine/incident-service.js";
import { IncidentRecorder } from "../engine/recorder.js";
import { InProcessEventBus } from "../events/event-bus.js";
import type { JournaledIngest } from "../ingest/journaled-ingest.js";
import { createLogger } from "../shared/logger.js";
import { AccountStore } from "../store/account-store.js";
import { DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { IncidentStore, type NewIncident } from "../store/incident-store.js";
import { IntegrationStore } from "../store/integration-store.js";
import { JobQueue } from "../store/job-queue.js";
import { jobs } from "../store/schema.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { ChannelNotifier } from "./channel-notifier.js";
import { ChatApprovals } from "./chat-approvals.js";
import { signSlack, signTeams } from "./chat-signatures.js";
import { IntegrationRegistry } from "./integration-registry.js";
import { MemberContacts } from "./member-contacts.js";
import { SecretBox } from "./secret-box.js";
import { startVendor } from "./test-vendor-receiver.js";

const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TEAMS_SECRET = randomBytes(32).toString("base64");

const incident = (id: string): NewIncident => ({
  projectId: P,
  id,
  alertType: "Memory Leak",
  logs: "ERROR heap at 98%",
  containerName: "api",
  severity: "CRITICAL",
  alertTimestamp: null,
  context: null,
  dryRun: false,
});

async function until<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(testDatabaseKinds())("approve or reject from chat on %s", (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let chat: ChatApprovals;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    chat?.stop();
    await app?.close();
    for (const c of closers.splice(0)) await c();
    await t?.cleanup();
  });

  it("posts the approval request with buttons; a signed click acts as the mapped user with their role, once", async () => {
    t = await freshDatabase(kind);
    const db = t.database.db;
    const accounts = new AccountStore();
    await accounts.insertTenant(db, { id: "t1", name: "Acme", slug: "acme" });
    for (const [id, role] of [
      ["alice", "member"],
      ["victor", "viewer"],
    ] as const) {
      await accounts.insertUser(db, { id, tenantId: "t1", email: `${id}@acme.test`, fullName: id, passwordHash: "x" });
      await accounts.addMember(db, P, id, role);
    }
    const slackApi = await startVendor(() => ({ status: 200, json: { ok: true, channel: "C0OPS", ts: "1.2" } }));
    const responses = await startVendor(() => ({ status: 200, text: "ok" }));
    const teamsHook = await startVendor(() => ({ status: 202, text: "" }));
    closers.push(slackApi.close, responses.close, teamsHook.close);

    const registry = new IntegrationRegistry(t.database, new IntegrationStore(), new SecretBox(randomBytes(32)), 2000);
    const slack = await registry.create(P, {
      name: "slack",
      type: "slack",
      config: {
        api_url: slackApi.url,
        bot_token: "xoxb-test-token-0001",
        channel: "C0OPS",
        signing_secret: SIGNING_SECRET,
        user_map: { UALICE: "alice@acme.test", UVICTOR: "victor@acme.test" },
      },
    });
    const teams = await registry.create(P, {
      name: "teams",
      type: "teams",
      config: {
        webhook_url: teamsHook.url,
        callback_secret: TEAMS_SECRET,
        user_map: { "aad-alice": "alice@acme.test" },
      },
    });
    const logger = createLogger("silent");
    const notifier = new ChannelNotifier(
      registry,
      new MemberContacts(t.database, accounts),
      { maxAttempts: 2, backoffMs: 10, maxWaitMs: 1000, timeoutMs: 2000, source: "test", minIntervalMs: {} },
      logger,
    );
    const store = new IncidentStore();
    const bus = new InProcessEventBus();
    const recorder = new IncidentRecorder(t.database, store, bus);
    // The real decision use case: its state check, timeline entries and job hand-back apply to chat too.
    const service = new IncidentService(t.database, store, new JobQueue(db), recorder, {} as JournaledIngest);
    chat = new ChatApprovals({
      database: t.database,
      registry,
      notifier,
      accounts,
      incidents: store,
      decider: service,
      logger,
      publicUrl: "http://aegis.test",
      timeoutMs: 2000,
    });
    chat.start(bus);
    app = await injectApp({ chatApprovals: chat });

    await store.createBatch(db, [incident("INC-1"), incident("INC-2")]);
    for (const id of ["INC-1", "INC-2"]) {
      await recorder.transition(P, id, "AWAITING_APPROVAL", "Awaiting human approval: restart budget reached");
    }
    await db.execute(sql`update ${jobs} set state = 'waiting'`);

    // The council's hand-off reached both chats, with buttons.
    await until(
      () => slackApi.received.length + teamsHook.received.length,
      (n) => n >= 4,
    );
    const posted = slackApi.received.map((r) => JSON.parse(r.body));
    const forInc1 = posted.find((b) => b.text.includes("INC-1"));
    const buttons = forInc1.blocks.find((b: { type: string }) => b.type === "actions").elements;
    expect(buttons.map((b: { action_id: string }) => b.action_id)).toEqual([
      "aegis_approve",
      "aegis_reject",
      "aegis_open",
    ]);
    expect(buttons[2].url).toBe("http://aegis.test/api/v1/incidents/INC-1");
    // Seen again (another server, a restart): not posted twice.
    expect(await chat.requestApproval(P, "INC-1", "again")).toBe(0);
    expect(slackApi.received).toHaveLength(2);
    const card = JSON.parse(teamsHook.received[0]?.body ?? "{}").attachments[0].content;
    expect(card.actions[0]).toMatchObject({ type: "Action.Submit", data: { aegis_action: "approve" } });

    const slackClick = (
      user: string,
      action: string,
      triggerId: string,
      ts = Math.floor(Date.now() / 1000),
      secret = SIGNING_SECRET,
    ) => {
      const payload = {
        type: "block_actions",
        trigger_id: triggerId,
        response_url: `${responses.url}/actions/T1/${triggerId}`,
        user: { id: user, username: user.toLowerCase() },
        actions: [
          {
            action_id: action,
            block_id: "aegis_actions",
            value: JSON.stringify({ incident_id: "INC-1" }),
            action_ts: "1.5",
          },
        ],
      };
      const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return app.inject({
        method: "POST",
        url: `/api/v1/chat/slack/${slack.id}/interactions`,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": String(ts),
          "x-slack-signature": signSlack(secret, ts, body),
        },
        payload: body,
      });
    };

    // Forged, and replayed after the window: refused before anything is read.
    const forged = await slackClick("UALICE", "aegis_approve", "tr-0", undefined, "not-the-signing-secret");
    expect(forged.statusCode).toBe(401);
    const stale = await slackClick("UALICE", "aegis_approve", "tr-0", Math.floor(Date.now() / 1000) - 301);
    expect(stale.statusCode).toBe(401);

    // A viewer is answered in chat (to them only) and nothing changes.
    const byViewer = await slackClick("UVICTOR", "aegis_approve", "tr-1");
    expect(byViewer.statusCode).toBe(200);
    expect(byViewer.json().outcome).toBe("refused");
    expect(byViewer.json().text).toContain("needs the member role");
    expect(JSON.parse(responses.received[0]?.body ?? "{}")).toMatchObject({
      response_type: "ephemeral",
      replace_original: false,
    });
    expect((await store.get(db, P, "INC-1"))?.status).toBe("AWAITING_APPROVAL");

    const unmapped = await slackClick("UNOBODY", "aegis_approve", "tr-2");
    expect(unmapped.json()).toMatchObject({ outcome: "refused", text: expect.stringContaining("not mapped") });

    // A member approves: through the incident service, on the timeline as that user.
    const approved = await slackClick("UALICE", "aegis_approve", "tr-3");
    expect(approved.json().outcome).toBe("approved");
    const inc1 = await store.get(db, P, "INC-1");
    expect(inc1?.status).toBe("APPROVED");
    expect(inc1?.timeline.find((e) => e.status === "HUMAN_DECISION")?.message).toBe(
      "Approved by alice@acme.test (via Slack ualice): from chat",
    );
    expect(JSON.parse(responses.received.at(-1)?.body ?? "{}")).toMatchObject({ replace_original: true });

    // The same click again (same trigger): handled once. Another click: already decided.
    expect((await slackClick("UALICE", "aegis_approve", "tr-3")).json().outcome).toBe("ignored");
    expect((await slackClick("UALICE", "aegis_reject", "tr-4")).json().outcome).toBe("already_decided");

    // Teams: an Action.Submit activity signed with the shared key.
    const teamsClick = (value: Record<string, unknown>, id: string, at = new Date(), secret = TEAMS_SECRET) => {
      const body = JSON.stringify({
        type: "message",
        id,
        timestamp: at.toISOString(),
        from: { id: "29:teams-user", aadObjectId: "aad-alice", name: "Alice" },
        value,
      });
      return app.inject({
        method: "POST",
        url: `/api/v1/chat/teams/${teams.id}/actions`,
        headers: { "content-type": "application/json", authorization: `HMAC ${signTeams(secret, body)}` },
        payload: body,
      });
    };
    const rejectInc2 = { aegis_action: "reject", incident_id: "INC-2" };
    expect((await teamsClick(rejectInc2, "a-0", new Date(), randomBytes(32).toString("base64"))).statusCode).toBe(401);
    expect((await teamsClick(rejectInc2, "a-1", new Date(Date.now() - 10 * 60_000))).statusCode).toBe(401);
    const rejected = await teamsClick(rejectInc2, "a-2");
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ type: "message", outcome: "rejected" });
    const inc2 = await store.get(db, P, "INC-2");
    expect(inc2?.status).toBe("FAILED");
    expect(inc2?.error).toBe("Rejected by alice@acme.test (via Teams Alice): from chat");

    // Every callback is in the integration's log (audit), with who and what.
    const audit = (await registry.logs(P, "slack", { limit: 50 })).filter((l) => l.event === "callback");
    expect(audit.map((a) => a.status).sort()).toEqual(["already_decided", "approved", "refused", "refused"]);
    expect(audit.find((a) => a.status === "approved")?.message).toContain("UALICE (alice@acme.test)");
    const teamsAudit = (await registry.logs(P, "teams", { limit: 50 })).filter((l) => l.event === "callback");
    expect(teamsAudit).toHaveLength(1);
  });
});
