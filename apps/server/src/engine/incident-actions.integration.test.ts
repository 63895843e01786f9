import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

/**
 * Seed 003's incident actions and agent endpoints on a real server: acknowledge/resolve through the
 * lifecycle with 409s naming the allowed moves, an action a person asks for reviewed by the council
 * (the demo app is protected, so it waits for a human), the timeline, feedback shown on the incident
 * and counted by the learning metrics, team performance attributed to `?user=`, and the agent's view.
 */

let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  const te = await prepareEnv({ PROTECTED_TARGETS: "buggy-app-v2" });
  ({ client, stop } = await startInProcess(te));
}, 60_000);
afterAll(async () => stop?.());

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies read back by the test
type Json = Record<string, any>;
const call = async (method: "GET" | "POST", path: string, body?: unknown) => {
  const r = await client.request(method, path, body);
  return { status: r.status, body: r.body as Json };
};

async function waitUntil<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("incident actions and the agent (seed 003)", () => {
  let id: string;
  let reference: string;

  it("opens an incident, acknowledges it for a user, refuses a second acknowledgement naming the allowed moves", async () => {
    const made = await call("POST", "/api/v1/incidents", {
      title: "Memory leak on buggy-app-v2",
      description: "heap grows after every batch; full GC reclaims nothing",
      service_name: "buggy-app-v2",
      severity: "critical",
    });
    expect(made.status).toBe(200);
    id = made.body.id;
    reference = made.body.reference;
    await waitUntil(async () => {
      const i = await call("GET", `/api/v1/incidents/${id}`);
      return ["APPROVED", "AWAITING_APPROVAL", "FAILED", "REJECTED"].includes(i.body.automation_status) ? i : undefined;
    });

    const ack = await call("POST", `/api/v1/incidents/${reference}/acknowledge?user=alice@example.com`);
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ success: true, data: { state: "acknowledged", previous_state: "detected" } });
    expect(ack.body.data.acknowledged_by).toBe("alice@example.com");

    const again = await call("POST", `/api/v1/incidents/${id}/acknowledge?user=alice@example.com`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ success: false, request_id: expect.any(String) });
    expect(again.body.error).toContain("investigating, mitigated, resolved, inconclusive");

    const missing = await call("POST", "/api/v1/incidents/INC-999999/acknowledge");
    expect(missing.status).toBe(404);
    expect(missing.body.success).toBe(false);
  }, 30_000);

  it("an action a person asks for goes through the council and waits for a human on a protected target", async () => {
    const bad = await call("POST", `/api/v1/incidents/${id}/actions`, { action: "REBOOT_EVERYTHING" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("action");

    const queued = await call("POST", `/api/v1/incidents/${id}/actions`, {
      action_type: "RESTART",
      reason: "restart reclaims the leaked heap",
      user: "alice@example.com",
    });
    expect(queued.status).toBe(202);
    expect(queued.body.data).toMatchObject({
      parent_incident_id: id,
      action: "RESTART",
      target: "buggy-app-v2",
      requested_by: "alice@example.com",
    });
    const followUp = queued.body.data.action_id as string;
    const done = await waitUntil(async () => {
      const i = await call("GET", `/api/v1/incidents/${followUp}`);
      return ["AWAITING_APPROVAL", "APPROVED", "REJECTED", "FAILED", "RESOLVED"].includes(i.body.automation_status)
        ? i
        : undefined;
    });
    // The protected target sends the human's RESTART to a human approval: the council was not bypassed.
    expect(done.body.automation_status).toBe("AWAITING_APPROVAL");
    const steps = (await call("GET", `/api/v1/incidents/${followUp}/timeline`)).body.data.items as Json[];
    const statuses = steps.map((s) => s.status);
    expect(statuses).toContain("COUNCIL_DECISION");
    expect(statuses).not.toContain("AI_COMPLETE"); // the person's proposal is not re-diagnosed
    expect(done.body.automation.action).toBe("RESTART");

    const parent = (await call("GET", `/api/v1/incidents/${id}/timeline`)).body.data.items as Json[];
    expect(
      parent.some((s) => s.status === "HUMAN_DECISION" && /alice@example.com requested RESTART/.test(s.message)),
    ).toBe(true);
  }, 30_000);

  it("resolves with a resolution for a user; team performance credits alice and bob", async () => {
    const res = await call(
      "POST",
      `/api/v1/incidents/${id}/resolve?resolution=restarted%20the%20worker&user=bob@example.com`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      state: "resolved",
      resolution: "restarted the worker",
      resolved_by: "bob@example.com",
    });
    const timeline = (await call("GET", `/api/v1/incidents/${id}/timeline`)).body.data.items as Json[];
    expect(timeline.some((s) => /→ resolved .*restarted the worker/.test(s.message))).toBe(true);

    const team = await call("GET", "/api/v1/analytics/team-performance?days=1");
    const who = Object.fromEntries((team.body.data.responders as Json[]).map((r) => [r.responder, r]));
    expect(who["alice@example.com"]).toMatchObject({ acknowledgements: 1, resolutions: 0 });
    expect(who["bob@example.com"]).toMatchObject({ acknowledgements: 0, resolutions: 1 });
  });

  it("feedback is stored, shown on the incident, and counted by the learning metrics", async () => {
    const bad = await call("POST", `/api/v1/agent/feedback?incident_id=${id}&helpful=maybe`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("helpful");
    const saved = await call("POST", `/api/v1/agent/feedback?incident_id=${reference}&helpful=true&accuracy=4`, {
      comment: "right root cause",
    });
    expect(saved.status).toBe(201);
    expect(saved.body.data).toMatchObject({ incident_id: id, helpful: true, accuracy: 4, comment: "right root cause" });
    const shown = await call("GET", `/api/v1/incidents/${id}/feedback`);
    expect(shown.body.data.items).toHaveLength(1);
    const hyps = await client.request("GET", `/api/v1/incidents/${id}/hypotheses`);
    expect(hyps.status).toBe(200);
    const list = hyps.body as Json[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((h) => h.user_feedback === "helpful (accuracy 4/5): right root cause")).toBe(true);
    const metrics = await call("GET", "/api/v1/agent/learning-metrics?weeks=4");
    expect(metrics.body.data.totals).toMatchObject({ feedback: 1, helpful_rate: 1, mean_accuracy: 4 });
  });

  it("agent status, capabilities, prompts and a manual analysis", async () => {
    const status = await call("GET", "/api/v1/agent/status");
    expect(status.status).toBe(200);
    expect(status.body.data.providers.map((p: Json) => p.name)).toEqual(["builtin"]);
    expect(status.body.data.pipeline).toMatchObject({ awaiting_approval: 2 });
    expect(status.body.data.last_decisions.length).toBeGreaterThanOrEqual(2);

    const caps = await call("GET", "/api/v1/agent/capabilities");
    expect(caps.body.data.executor.kind).toBe("local");
    expect(caps.body.data.executor.targets).toContain("buggy-app-v2");
    expect(caps.body.data.actions.map((a: Json) => a.action)).toEqual([
      "RESTART",
      "SCALE_UP",
      "SCALE_DOWN",
      "ROLLBACK",
      "NOOP",
    ]);
    expect(caps.body.data.council.protected_targets).toContain("buggy-app-v2");
    expect(caps.body.data.integrations.prometheus).toBe("not_configured");

    const prompts = await call("GET", "/api/v1/agent/prompts");
    const diagnosis = (prompts.body.data.items as Json[]).find((p) => p.name === "diagnosis.system");
    expect(diagnosis?.version).toMatch(/^[0-9a-f]{16}$/);
    expect(diagnosis?.template).toContain('<untrusted id="{fence_id}"');

    const analysed = await call("POST", "/api/v1/agent/analyze", { incident_id: reference });
    expect(analysed.status).toBe(200);
    expect(analysed.body.data).toMatchObject({ incident_id: id, reference });
    expect(typeof analysed.body.data.result.hypothesis).toBe("string");
    const invalid = await call("POST", "/api/v1/agent/analyze", {});
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toContain("incident_id");

    const kb = await call("GET", "/api/v1/agent/knowledge-base/summary");
    expect(kb.body.data.counts).toMatchObject({ learned_incidents: expect.any(Number), runbooks: expect.any(Number) });
  }, 30_000);
});
