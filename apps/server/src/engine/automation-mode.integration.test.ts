import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  const te = await prepareEnv({ AEGIS_ESCALATION_SWEEP_SECS: "0.5" });
  ({ client, stop } = await startInProcess(te));
}, 120_000);
afterAll(async () => stop?.());

/** One alert per test: a distinct alert type, so alert grouping does not fold one test's alert into another's incident. */
const leak = (test: string) => ({
  incident_id: `am-${Math.random().toString(36).slice(2)}`,
  alert_type: `Memory Leak in ${test}`,
  logs: "ERROR: Memory usage at 98%. Heap grows after every batch; full GC reclaims nothing.",
  container_name: "buggy-app-v2",
  severity: "CRITICAL",
});
const messages = (i: { timeline: { status: string; message: string }[] }) =>
  i.timeline.map((e) => `${e.status} ${e.message}`);

/** The project's automation mode, through the real server: the pipeline obeys it and escalation pages who must decide. */
describe("automation mode", () => {
  it("approve: a council-approved action waits for a human, who is paged (and the page's failure is recorded)", async () => {
    const policy = await client.request("POST", "/api/v1/oncall/escalation-policies", {
      name: "Needs a human",
      trigger: "needs_human",
      levels: [{ delay_minutes: 10, targets: [{ type: "user", id: "alice" }] }],
    });
    expect(policy.status).toBe(201);
    expect((await client.request("PUT", "/api/v1/settings/automation", { mode: "approve" })).status).toBe(200);
    const p = leak("approve mode");
    await client.request("POST", "/webhook", p);
    // Seed 000's wire: still in review, with a pending approval (the council itself approved).
    const waiting = await client.waitFor(p.incident_id, (i) => i.approval?.state === "pending", 60_000);
    expect(waiting.status).toBe("COUNCIL_REVIEW");
    expect(waiting.council_decision?.final_verdict).toBe("APPROVED");
    expect(messages(waiting).join("\n")).toContain('Automation mode "approve"');
    expect(messages(waiting).join("\n")).not.toContain("EXECUTING");

    const paged = await client.waitFor(p.incident_id, (i) => i.timeline.some((e) => e.status === "PAGED"), 30_000);
    const page = paged.timeline.find((e) => e.status === "PAGED");
    // Paged through the real channels: alice is no member here, and the failure is on the timeline.
    expect(page?.message).toContain("(approval request): alice via none: failed (");
    const esc = await client.request("GET", `/api/v1/oncall/escalations/${p.incident_id}`);
    expect(esc.body).toMatchObject({ state: "active", level: 1, pages_sent: 1 });
    const ref = (await client.request("GET", `/api/v1/incidents/${p.incident_id}`)).body as { reference: string };
    const byRef = await client.request("GET", `/api/v1/oncall/escalations/${ref.reference}`);
    expect(byRef.body).toMatchObject({ incident_id: p.incident_id });
    const ack = await client.request("PATCH", `/api/v1/incidents/${p.incident_id}/state`, { state: "acknowledged" });
    expect(ack.status).toBe(200);
    const stopped = await client.waitFor(
      p.incident_id,
      (i) => i.timeline.some((e) => e.message.startsWith("Escalation stopped")),
      30_000,
    );
    expect(stopped.timeline.at(-1)?.message).toContain("the incident was acknowledged");
  }, 120_000);

  it("suggest: the action is recorded as a suggestion and never executed", async () => {
    expect((await client.request("PUT", "/api/v1/settings/automation", { mode: "suggest" })).status).toBe(200);
    const p = leak("suggest mode");
    await client.request("POST", "/webhook", p);
    const done = await client.waitFor(
      p.incident_id,
      (i) => i.timeline.some((e) => e.message.includes('Automation mode "suggest"')),
      60_000,
    );
    expect(done.status).toBe("APPROVED");
    const statuses = done.timeline.map((e) => e.status);
    expect(statuses).not.toContain("EXECUTING");
    expect(statuses).not.toContain("RESTARTED");
  }, 120_000);

  it("reports the knowledge base configuration the server runs with", async () => {
    const kb = await client.request("GET", "/api/v1/settings/knowledge-base");
    const runbooks = await client.request("GET", "/api/v1/runbooks?page_size=1");
    expect(kb.status).toBe(200);
    expect(kb.body).toMatchObject({
      success: true,
      data: {
        lexical: { enabled: true },
        vectors: {
          enabled: false,
          embeddings_url: null,
          status: expect.stringContaining("AEGIS_EMBEDDINGS_URL is not set"),
        },
        similar_incidents_per_analysis: 3,
        runbooks_per_analysis: 3,
        counts: { runbooks: (runbooks.body as { total: number }).total },
      },
    });
  });
});
