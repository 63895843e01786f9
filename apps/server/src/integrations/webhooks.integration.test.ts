import { afterEach, describe, expect, it } from "vitest";
import { InProcessEventBus } from "../events/event-bus.js";
import { createLogger } from "../shared/logger.js";
import { DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { IncidentStore } from "../store/incident-store.js";
import { WebhookStore } from "../store/webhook-store.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { startReceiver } from "./test-http-receiver.js";
import { type Delivery, WebhookService } from "./webhook-service.js";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from "./webhook-signature.js";

const SECRET = "whsec-0123456789abcdef";

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(testDatabaseKinds())("outbound webhooks on %s", (kind) => {
  let t: TestDatabase;
  let svc: WebhookService | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    svc?.stop();
    for (const c of closers.splice(0)) await c();
    await t?.cleanup();
  });

  async function setup(maxAttempts = 4) {
    t = await freshDatabase(kind);
    await new IncidentStore().createBatch(t.database.db, [
      {
        projectId: "default",
        id: "INC-12345",
        alertType: "Memory Leak",
        logs: "OOMKilled",
        containerName: null,
        severity: null,
        alertTimestamp: null,
        context: null,
        dryRun: false,
      },
    ]);
    const bus = new InProcessEventBus();
    svc = new WebhookService(
      t.database,
      new WebhookStore(),
      { maxAttempts, backoffMs: 20, timeoutMs: 2000 },
      createLogger("silent"),
    );
    await svc.start(bus);
    return { bus, svc };
  }

  it("signs each delivery, retries a receiver that fails twice, and logs the attempts", async () => {
    const { bus, svc } = await setup();
    // The receiver verifies like a customer would, and fails the first two deliveries.
    const verified: boolean[] = [];
    const r = await startReceiver((req, n) => {
      verified.push(
        verifyWebhook(
          SECRET,
          { signature: req.headers[SIGNATURE_HEADER] as string, timestamp: req.headers[TIMESTAMP_HEADER] as string },
          req.body,
        ),
      );
      return { status: n <= 2 ? 500 : 204 };
    });
    closers.push(r.close);
    const hook = await svc.register("default", { url: `${r.url}/hook`, events: ["incident.resolved"], secret: SECRET });
    expect(hook).not.toHaveProperty("secret");

    bus.publish(P, "incident.new", "INC-12345", { incident_id: "INC-12345", alert_type: "Memory Leak", logs: "x" }); // not subscribed
    bus.publish(P, "resolved", "INC-12345", { incident_id: "INC-12345", resolved_at: new Date().toISOString() });

    const log = await until(
      () => svc.deliveries("default", hook.id, 10),
      (d: Delivery[]) => d[0]?.status === "delivered",
    );
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      event: "incident.resolved",
      status: "delivered",
      attempts: 3,
      last_status_code: 204,
    });
    expect(r.received).toHaveLength(3);
    expect(verified).toEqual([true, true, true]);
    const first = r.received[0];
    expect(first?.headers["x-event"]).toBe("incident.resolved");
    const body = JSON.parse(first?.body ?? "{}");
    expect(body).toMatchObject({ event: "incident.resolved", data: { incident_id: "INC-12345" } });
    expect(typeof body.data.duration_seconds).toBe("number");
    expect(typeof body.timestamp).toBe("string");
    // The same bytes on every retry; a tampered body or another secret does not verify.
    expect(new Set(r.received.map((x) => x.body)).size).toBe(1);
    const h = {
      signature: first?.headers[SIGNATURE_HEADER] as string,
      timestamp: first?.headers[TIMESTAMP_HEADER] as string,
    };
    expect(verifyWebhook(SECRET, h, `${first?.body} `)).toBe(false);
    expect(verifyWebhook("another-secret-0123456", h, first?.body ?? "")).toBe(false);
    // A replay outside the window is refused even with a valid signature.
    expect(verifyWebhook(SECRET, h, first?.body ?? "", 300, Number(h.timestamp) + 301)).toBe(false);
  });

  it("gives up after the last attempt and logs the failure; other projects' events never reach it", async () => {
    const { bus, svc } = await setup(2);
    const r = await startReceiver(() => ({ status: 503 }));
    closers.push(r.close);
    const hook = await svc.register("default", { url: r.url, events: ["incident.created"], secret: SECRET });
    const foreign = await svc.register("p2", { url: r.url, events: ["incident.created"], secret: SECRET });

    bus.publish(P, "incident.new", "INC-12345", { incident_id: "INC-12345", alert_type: "Memory Leak", logs: "x" });
    const log = await until(
      () => svc.deliveries("default", hook.id, 10),
      (d: Delivery[]) => d[0]?.status === "failed",
    );
    expect(log[0]).toMatchObject({ status: "failed", attempts: 2, last_status_code: 503, last_error: "HTTP 503" });
    expect(await svc.deliveries("p2", foreign.id, 10)).toEqual([]);
    await expect(svc.deliveries("p2", hook.id, 10)).rejects.toThrow(/not found/);

    await svc.delete("default", hook.id);
    expect(await svc.list("default")).toEqual([]);
    await expect(svc.delete("default", hook.id)).rejects.toThrow(/not found/);
  });

  it("resumes at start-up a delivery a previous run left pending", async () => {
    const { svc: first } = await setup();
    const r = await startReceiver(() => ({ status: 200 }));
    closers.push(r.close);
    const hook = await first.register("default", { url: r.url, events: ["incident.failed"], secret: SECRET });
    first.stop();
    const at = new Date();
    await new WebhookStore().insertDelivery(t.database.db, {
      projectId: "default",
      id: "left-over",
      webhookId: hook.id,
      event: "incident.failed",
      body: '{"event":"incident.failed"}',
      status: "pending",
      attempts: 1,
      lastStatusCode: 500,
      lastError: "HTTP 500",
      createdAt: at,
      updatedAt: at,
      deliveredAt: null,
    });
    svc = new WebhookService(
      t.database,
      new WebhookStore(),
      { maxAttempts: 4, backoffMs: 20, timeoutMs: 2000 },
      createLogger("silent"),
    );
    await svc.start(new InProcessEventBus());
    const log = await until(
      () => (svc as WebhookService).deliveries("default", hook.id, 10),
      (d: Delivery[]) => d[0]?.status === "delivered",
    );
    expect(log[0]).toMatchObject({ id: "left-over", status: "delivered", attempts: 2, last_error: null });
    expect(r.received.map((x) => x.body)).toEqual(['{"event":"incident.failed"}']);
  });
});
