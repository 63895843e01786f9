import type { IncidentResult } from "@aegis/contracts";
import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

/**
 * The one incident resource over a real server: a webhook's incident through seed 000's wire, /api/v1
 * and its INC-n reference; the lifecycle walk with attribution; workflow timings; every seed's list
 * envelope; and an approval nobody gives, expiring.
 */

let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  // The demo app is protected, so its remediations wait for a human; they expire after 2 s.
  const te = await prepareEnv({ PROTECTED_TARGETS: "buggy-app-v2", AEGIS_APPROVAL_EXPIRY_SECS: "2" });
  ({ client, stop } = await startInProcess(te));
});
afterAll(async () => stop?.());

const payload = (over: Record<string, unknown> = {}) => ({
  incident_id: `t-${Math.random().toString(36).slice(2)}`,
  alert_type: "Memory Leak",
  logs: "ERROR: Memory usage at 98%. Heap grows after every batch; full GC reclaims nothing.",
  container_name: "buggy-app-v2",
  severity: "CRITICAL",
  ...over,
});

const SEED_000_FIELDS = [
  "alert_type",
  "analysis",
  "container_name",
  "council_decision",
  "created_at",
  "dry_run",
  "error",
  "incident_id",
  "replicas_spawned",
  "resolved_at",
  "severity",
  "status",
  "timeline",
];

async function get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
  const r = await client.request("GET", path);
  return { status: r.status, body: r.body as T };
}

describe("one incident resource", () => {
  it("a webhook's incident is the same through /incidents/{id}, /api/v1/incidents/{id} and INC-n", async () => {
    const p = payload({ dry_run: true, container_name: "worker-7" });
    expect((await client.request("POST", "/webhook", p)).status).toBe(200);
    const done = await client.waitFor(p.incident_id, (i) => i.status === "APPROVED" || i.status === "FAILED");
    // Seed 000's wire is unchanged: no /api/v1 field leaks into it.
    expect(Object.keys(done).sort()).toEqual(SEED_000_FIELDS);
    const v1 = await get(`/api/v1/incidents/${p.incident_id}`);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      id: p.incident_id,
      title: "Memory Leak",
      service_name: "worker-7",
      state: "detected",
      automation_status: done.status,
      automation: { status: done.status, alert_type: "Memory Leak" },
    });
    const ref = v1.body.reference as string;
    expect(ref).toMatch(/^INC-\d+$/);
    expect((await get(`/api/v1/incidents/${ref}`)).body).toMatchObject({ id: p.incident_id });
    expect((await get<IncidentResult>(`/incidents/${ref}`)).body.incident_id).toBe(p.incident_id);
    expect((await get("/api/v1/incidents/INC-999999999")).status).toBe(404);

    const wf = await get<{ finished: boolean; steps: { name: string; duration_ms: number | null }[] }>(
      `/api/v1/incidents/${ref}/workflow`,
    );
    expect(wf.status).toBe(200);
    expect(wf.body.finished).toBe(true);
    expect(wf.body.steps[0]?.name).toBe("RECEIVED");
    expect(wf.body.steps.length).toBeGreaterThanOrEqual(done.timeline.length);
    for (const s of wf.body.steps) expect(s.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it("walks the lifecycle, each move timestamped and attributed, without touching the automation status", async () => {
    const created = await client.request("POST", "/api/v1/incidents", {
      title: "High CPU usage on payment-api",
      description: "CPU spiked to 90% after recent deployment",
      service_name: "payment-api",
      severity: "high",
    });
    expect(created.status).toBe(200);
    const inc = created.body as unknown as { id: string; reference: string; state: string; dry_run: boolean };
    expect(inc).toMatchObject({ state: "detected", dry_run: true });
    const ref = inc.reference;
    const move = (state: string) => client.request("PATCH", `/api/v1/incidents/${ref}/state`, { state, note: state });
    for (const state of ["acknowledged", "investigating", "mitigated", "resolved", "learned"]) {
      const r = await move(state);
      expect(r.status, state).toBe(200);
      expect(r.body).toMatchObject({ state, changed_by: { kind: "api_key", id: "admin" } });
    }
    const refused = await move("investigating");
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain("none (final state)");

    const detail = await get<{
      transitions: { from: string; to: string; by: { id: string } }[];
      acknowledged_at: string;
      resolved_at: string;
      automation_status: string;
    }>(`/api/v1/incidents/${inc.id}`);
    expect(detail.body.transitions.map((t) => `${t.from}>${t.to}`)).toEqual([
      "detected>acknowledged",
      "acknowledged>investigating",
      "investigating>mitigated",
      "mitigated>resolved",
      "resolved>learned",
    ]);
    expect(detail.body.transitions.every((t) => t.by.id === "admin")).toBe(true);
    expect(Date.parse(detail.body.resolved_at)).toBeGreaterThanOrEqual(Date.parse(detail.body.acknowledged_at));
    // The lifecycle is on the seed-000 timeline too, written by the recorder.
    const seed0 = (await get<IncidentResult>(`/incidents/${inc.id}`)).body;
    expect(seed0.timeline.filter((t) => t.message.startsWith("Lifecycle ")).length).toBe(5);
    expect(seed0.timeline[0]?.message).toBe("Incident opened via POST /api/v1/incidents.");
    expect(seed0.dry_run).toBe(true);

    const metrics = await get<Record<string, number | null>>(`/api/v1/incidents/${ref}/metrics`);
    expect(metrics.body.time_to_acknowledge_seconds).toBeGreaterThanOrEqual(0);
    expect(metrics.body.time_to_resolve_seconds).toBeGreaterThanOrEqual(metrics.body.time_to_acknowledge_seconds ?? 0);
    expect((await get(`/api/v1/analytics/incident-metrics/${inc.id}`)).body).toEqual(metrics.body);
  });

  it("lists in each seed's envelope with its parameters and filters", async () => {
    for (let i = 0; i < 3; i++) {
      await client.request("POST", "/api/v1/incidents", {
        title: `list ${i}`,
        service_name: "list-svc",
        severity: "low",
      });
    }
    const s001 = await get<{ incidents: { service_name: string }[]; total: number; limit: number; offset: number }>(
      "/api/v1/incidents?service=list-svc&limit=2&offset=0",
    );
    expect(s001.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(s001.body.incidents).toHaveLength(2);
    const s002 = await get<unknown[]>("/api/v1/incidents?service=list-svc&skip=2&limit=10");
    expect(s002.body).toHaveLength(1);
    const s003 = await get<{ success: boolean; data: { items: unknown[]; total: number; has_next: boolean } }>(
      "/api/v1/incidents?service=list-svc&page=1&page_size=2&severity=LOW&status=open",
    );
    expect(s003.body).toMatchObject({ success: true, data: { total: 3, has_next: true } });
    expect(s003.body.data.items).toHaveLength(2);
    // An API key's seed-001 list: a bad filter is 400 INVALID_REQUEST naming it.
    const bad = await get<{ error: { code: string; details: { field: string } } }>("/api/v1/incidents?status=nope");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "INVALID_REQUEST", details: { field: "status" } });
  });

  it("an approval nobody gives expires: FAILED with the reason on the timeline", async () => {
    const p = payload();
    await client.request("POST", "/webhook", p);
    await client.waitFor(p.incident_id, (i) => i.approval?.state === "pending");
    const failed = await client.waitFor(p.incident_id, (i) => i.status === "FAILED", 15_000);
    expect(failed.error).toContain("Approval expired");
    expect(failed.timeline.at(-1)).toMatchObject({ status: "FAILED" });
    expect(failed.council_decision?.final_verdict).toBe("REJECTED");
    expect(failed.approval?.state).toBe("expired");
    // Too late to approve now.
    expect((await client.request("POST", `/api/v1/incidents/${p.incident_id}/approve`, {})).status).toBe(409);
  });
});
