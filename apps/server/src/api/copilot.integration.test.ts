import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver } from "../integrations/test-http-receiver.js";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from "../integrations/webhook-signature.js";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

/** Seed 001 tickets, webhooks and health through the real server: HTTP in, signed deliveries out. */

const SECRET = "whsec-e2e-0123456789";
let client: AegisClient;
let stop: () => Promise<void>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 200 }));
  const te = await prepareEnv({ AEGIS_WEBHOOK_BACKOFF_MS: "50" });
  ({ client, stop } = await startInProcess(te));
});
afterAll(async () => {
  await stop?.();
  await receiver?.close();
});

describe("seed 001 over HTTP", () => {
  it("stores a ticket and serves it at the URL it hands out", async () => {
    const r = await client.request("POST", "/api/v1/tickets", {
      title: "Checkout 500s",
      description: "API gateway returning 500 errors",
      priority: "high",
    });
    expect(r.status).toBe(201);
    const created = r.body as { ticket_id: string; ticket_url: string; created_at: string };
    expect(created.ticket_url).toMatch(new RegExp(`/api/v1/tickets/${created.ticket_id}$`));
    expect(r.headers.get("x-ratelimit-limit")).toBe("500");
    const path = new URL(created.ticket_url).pathname;
    const got = await client.request("GET", path);
    expect(got.body).toMatchObject({ ticket_id: created.ticket_id, title: "Checkout 500s", sink: "local" });
  });

  it("answers /api/v1/health with the database really probed", async () => {
    const r = await client.request("GET", "/api/v1/health");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: "healthy",
      dependencies: { database: "healthy", vector_db: "not_configured", llm_api: "healthy", executor: "healthy" },
    });
  });

  it("delivers a signed incident.created when an alert arrives", async () => {
    const reg = await client.request("POST", "/api/v1/webhooks", {
      url: `${receiver.url}/hooks/aegis`,
      events: ["incident.created"],
      secret: SECRET,
    });
    expect(reg.status).toBe(201);
    const hook = reg.body as { id: string };
    const id = `INC-${Date.now()}`;
    const alert = await client.request("POST", "/webhook", {
      incident_id: id,
      alert_type: "Memory Leak",
      logs: "ERROR: heap at 98%",
      dry_run: true,
    });
    expect(alert.status).toBe(200);

    type Log = { deliveries: { status: string }[] };
    const deadline = Date.now() + 10_000;
    let log: Log["deliveries"] = [];
    while (Date.now() < deadline) {
      log = ((await client.request("GET", `/api/v1/webhooks/${hook.id}/deliveries`)).body as unknown as Log).deliveries;
      if (log[0]?.status === "delivered") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(log[0]).toMatchObject({ status: "delivered", event: "incident.created", attempts: 1 });
    const got = receiver.received.find((x) => x.body.includes(id));
    expect(got).toBeDefined();
    const h = {
      signature: got?.headers[SIGNATURE_HEADER] as string,
      timestamp: got?.headers[TIMESTAMP_HEADER] as string,
    };
    expect(verifyWebhook(SECRET, h, got?.body ?? "")).toBe(true);
    expect(JSON.parse(got?.body ?? "{}")).toMatchObject({ event: "incident.created", data: { incident_id: id } });
  });
});
