import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

/**
 * The security and monitoring services as the server wires them: a remediation on the demo app leaves
 * its trail in the audit chain (the webhook, the council's decision, the action, the outcome), the
 * request in the access log, and the product's own log lines in the monitoring endpoints.
 */
let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  const started = await startInProcess(await prepareEnv({ LOG_LEVEL: "info" }));
  client = started.client;
  stop = started.stop;
}, 120_000);
afterAll(async () => stop?.());

const get = async (path: string) => {
  const res = await client.request("GET", path);
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body as { success: true; data: Record<string, unknown> & { items: Record<string, unknown>[] } };
};

describe("security and monitoring, wired", () => {
  it("audits a remediation end to end and shows the product's logs and status", async () => {
    const id = `audit-e2e-${Date.now()}`;
    await client.request("POST", "/webhook", {
      incident_id: id,
      alert_type: "Memory Leak",
      logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request",
      container_name: "buggy-app-v2",
      severity: "CRITICAL",
    });
    const done = await client.waitFor(id, (i) => i.status === "RESOLVED" || i.status === "FAILED", 90_000, 100);
    expect(done.status).toBe("RESOLVED");

    let actions: string[] = [];
    const end = Date.now() + 10_000;
    while (Date.now() < end && !actions.includes("incident.resolved")) {
      const page = await get("/api/v1/security/audit-logs?page_size=100");
      actions = page.data.items.map((i) => i.action as string);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(actions).toEqual(
      expect.arrayContaining(["http.create", "council.decision", "remediation.executed", "incident.resolved"]),
    );
    const webhook = (await get("/api/v1/security/audit-logs?resource=/webhook")).data.items[0];
    expect(webhook).toMatchObject({ actor: { kind: "api_key" }, outcome: "success", after: { incident_id: id } });
    expect((await get("/api/v1/security/audit-logs/verify")).data).toMatchObject({ valid: true, first_broken: null });

    const access = await get("/api/v1/security/access-logs?limit=1000");
    expect(access.data.items.some((i) => i.route === "/webhook" && i.method === "POST")).toBe(true);

    const logs = await get("/api/v1/monitoring/logs?limit=1000");
    expect(logs.data.items.some((i) => i.message === "AegisOps listening")).toBe(true);
    const status = await get("/api/v1/monitoring/status");
    const byName = Object.fromEntries(
      (status.data.components as { name: string; status: string }[]).map((c) => [c.name, c.status]),
    );
    expect(byName).toMatchObject({ database: "up", executor: "up", pipeline: "up", traces: "not_configured" });
    const compliance = await get("/api/v1/security/compliance-report");
    const controls = Object.fromEntries(
      (compliance.data.controls as { id: string; status: string }[]).map((c) => [c.id, c.status]),
    );
    expect(controls).toMatchObject({ audit_chain_intact: "pass", audit_append_only: "pass", password_hashing: "pass" });
  }, 150_000);
});
