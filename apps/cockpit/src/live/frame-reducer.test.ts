import { type IncidentResult, type WsFrame, wsFrame } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import {
  emptyLiveState,
  type LiveState,
  liveReducer,
  MAX_INCIDENTS,
  MAX_MONITOR_ALERTS,
  MAX_SAMPLES,
} from "./frame-reducer.js";

const at = (s: number) => new Date(Date.UTC(2026, 11, 6, 5, 0, s)).toISOString();
const frame = (f: WsFrame, s: number): WsFrame => ({ ...f, timestamp: at(s) });
const run = (frames: WsFrame[], from: LiveState = emptyLiveState) =>
  frames.reduce((st, f) => liveReducer(st, { kind: "frame", frame: f }), from);

const vote = (role: "SRE_AGENT" | "SECURITY_OFFICER" | "AUDITOR", verdict: "APPROVED" | "REJECTED") => ({
  role,
  verdict,
  reasoning: `${role} says ${verdict}`,
  timestamp: at(0),
});

describe("liveReducer", () => {
  it("builds an incident from its frames: steps, streamed analysis, votes, actions, checks, final state", () => {
    const s = run([
      frame(wsFrame("incident.new", "i1", { incident_id: "i1", alert_type: "Memory Leak", logs: "heap" }), 0),
      frame(
        wsFrame("status.update", "i1", { incident_id: "i1", status: "ANALYSING", message: "reading", agent: null }),
        1,
      ),
      frame(wsFrame("ai.thinking", "i1", { incident_id: "i1", message: "thinking" }), 2),
      frame(wsFrame("ai.stream", "i1", { incident_id: "i1", chunk: "Heap ", full_text: "Heap " }), 3),
      frame(wsFrame("ai.stream", "i1", { incident_id: "i1", chunk: "grows", full_text: "Heap grows" }), 4),
      frame(
        wsFrame("ai.complete", "i1", {
          incident_id: "i1",
          analysis: {
            root_cause: "leak",
            action: "RESTART",
            justification: "Heap grows",
            confidence: 0.9,
            replica_count: 2,
          },
        }),
        5,
      ),
      frame(
        wsFrame("status.update", "i1", {
          incident_id: "i1",
          status: "COUNCIL_VOTE",
          message: "vote",
          agent: "AUDITOR",
        }),
        6,
      ),
      frame(wsFrame("council.vote", "i1", { incident_id: "i1", vote: vote("SRE_AGENT", "APPROVED") }), 6),
      frame(wsFrame("council.vote", "i1", { incident_id: "i1", vote: vote("AUDITOR", "REJECTED") }), 7),
      frame(wsFrame("council.vote", "i1", { incident_id: "i1", vote: vote("AUDITOR", "APPROVED") }), 8),
      frame(wsFrame("docker.action", "i1", { incident_id: "i1", action: "RESTART", container: "app" }), 9),
      frame(wsFrame("health.check", "i1", { incident_id: "i1", attempt: 1, healthy: false }), 10),
      frame(wsFrame("health.check", "i1", { incident_id: "i1", attempt: 2, healthy: true }), 11),
      frame(wsFrame("resolved", "i1", { incident_id: "i1", resolved_at: at(12) }), 12),
    ]);
    const i = s.incidents.i1;
    expect(s.order).toEqual(["i1"]);
    expect(i).toMatchObject({
      alertType: "Memory Leak",
      status: "RESOLVED",
      analysisText: "Heap grows",
      thinking: null,
      resolvedAt: at(12),
      firstSeen: at(0),
      lastUpdate: at(12),
    });
    // COUNCIL_VOTE is a timeline marker, not an automation status: the status stays ANALYSING until RESOLVED.
    expect(i?.steps.map((x) => x.status)).toEqual(["ANALYSING", "COUNCIL_VOTE"]);
    // A role's later vote replaces its earlier one.
    expect(i?.votes.map((v) => `${v.role}:${v.verdict}`)).toEqual(["SRE_AGENT:APPROVED", "AUDITOR:APPROVED"]);
    expect(i?.actions).toEqual([{ action: "RESTART", container: "app", at: at(9) }]);
    expect(i?.healthChecks.map((h) => h.healthy)).toEqual([false, true]);
  });

  it("marks a failure with its error, and an incident first seen by a later frame still appears", () => {
    const s = run([frame(wsFrame("failed", "i9", { incident_id: "i9", error: "budget exhausted" }), 3)]);
    expect(s.incidents.i9).toMatchObject({ status: "FAILED", error: "budget exhausted" });
    expect(s.order).toEqual(["i9"]);
  });

  it("keeps metric samples per container, capped, and drops containers that left", () => {
    const m = (name: string, cpu: number) => ({
      name,
      cpu_percent: cpu,
      memory_mb: 100,
      memory_limit_mb: 512,
      memory_percent: 20,
      net_rx_bytes: cpu * 1000,
      net_tx_bytes: 5,
      status: "running",
      uptime_seconds: 1,
      image: "x",
    });
    const frames = Array.from({ length: MAX_SAMPLES + 5 }, (_, k) =>
      frame(wsFrame("metrics", null, [m("a", k), m("b", k)]), k),
    );
    let s = run(frames);
    expect(s.samples.a).toHaveLength(MAX_SAMPLES);
    expect(s.samples.a?.at(-1)).toMatchObject({ cpu: MAX_SAMPLES + 4, rxBytes: (MAX_SAMPLES + 4) * 1000 });
    expect(s.samples.a?.[0]?.cpu).toBe(5);
    const incidentsBefore = s.incidents;
    s = run([frame(wsFrame("metrics", null, [m("a", 1)]), 999)], s);
    expect(Object.keys(s.samples)).toEqual(["a"]);
    // A metrics frame leaves the incidents untouched (same object): the incident views do not re-render.
    expect(s.incidents).toBe(incidentsBefore);
  });

  it("bumps the fleet version on scale events and container lists (the topology refetches)", () => {
    const s = run([
      frame(
        wsFrame("scale.event", null, {
          incident_id: null,
          event: {
            container_base: "app",
            replica_count: 3,
            replicas: ["r1", "r2", "r3"],
            lb_configured: true,
            timestamp: at(1),
          },
        }),
        1,
      ),
      frame(wsFrame("container.list", null, [{ name: "app", status: "running", image: "x", id: "1" }]), 2),
    ]);
    expect(s.fleetVersion).toBe(2);
    expect(s.lastScale).toEqual({ at: at(1), summary: "app: 3 replica(s)" });
    expect(s.containers).toHaveLength(1);
  });

  it("keeps the latest predictive-monitor level changes, newest first, capped", () => {
    const change = (i: number) =>
      frame(
        wsFrame("monitor.alert", null, {
          timestamp: "2025-01-15T06:00:00",
          server_name: `srv${i}`,
          profile: "Database",
          event_type: "raised",
          previous_level: "healthy",
          new_level: "warning",
          risk_score: 61.5,
          message: "memory rising",
        }),
        i % 60,
      );
    const s = run(Array.from({ length: MAX_MONITOR_ALERTS + 5 }, (_, i) => change(i)));
    expect(s.monitorAlerts).toHaveLength(MAX_MONITOR_ALERTS);
    expect(s.monitorAlerts[0]?.server_name).toBe(`srv${MAX_MONITOR_ALERTS + 4}`);
    expect(s.incidents).toEqual({});
  });

  it("caps the incidents it remembers, forgetting the oldest", () => {
    const frames = Array.from({ length: MAX_INCIDENTS + 3 }, (_, k) =>
      frame(wsFrame("incident.new", `i${k}`, { incident_id: `i${k}`, alert_type: "A", logs: "" }), k),
    );
    const s = run(frames);
    expect(s.order).toHaveLength(MAX_INCIDENTS);
    expect(s.order[0]).toBe(`i${MAX_INCIDENTS + 2}`);
    expect(s.incidents.i0).toBeUndefined();
    expect(Object.keys(s.incidents)).toHaveLength(MAX_INCIDENTS);
  });

  it("a snapshot (the catch-up after a reconnect) replaces what was missed and adds unseen incidents", () => {
    const before = run([
      frame(wsFrame("incident.new", "i1", { incident_id: "i1", alert_type: "Memory Leak", logs: "" }), 0),
      frame(wsFrame("ai.stream", "i1", { incident_id: "i1", chunk: "x", full_text: "partial text streamed" }), 1),
    ]);
    const result = (id: string, status: IncidentResult["status"], created: number): IncidentResult => ({
      incident_id: id,
      alert_type: "Memory Leak",
      status,
      analysis: null,
      council_decision: null,
      resolved_at: status === "RESOLVED" ? at(30) : null,
      error: null,
      replicas_spawned: 0,
      timeline: [
        { ts: at(created), status: "RECEIVED", message: "in", agent: null },
        { ts: at(created + 20), status, message: "now", agent: null },
      ],
      created_at: at(created),
    });
    const s = liveReducer(before, {
      kind: "snapshot",
      incidents: [result("i1", "RESOLVED", 0), result("i2", "AWAITING_APPROVAL", 5)],
    });
    expect(s.order).toEqual(["i2", "i1"]);
    expect(s.incidents.i1).toMatchObject({
      status: "RESOLVED",
      resolvedAt: at(30),
      analysisText: "partial text streamed",
    });
    expect(s.incidents.i1?.steps.map((x) => x.status)).toEqual(["RECEIVED", "RESOLVED"]);
    expect(s.incidents.i2?.status).toBe("AWAITING_APPROVAL");
  });

  it("a review waiting for a person on seed 000's wire (COUNCIL_REVIEW, awaiting_human) asks for a decision until one is made", () => {
    const decision = {
      votes: [vote("SRE_AGENT", "APPROVED")],
      final_verdict: "REJECTED" as const,
      consensus: false,
      summary: "Council voted 1/3 APPROVED. Final: NEEDS_REVIEW",
      awaiting_human: true,
    };
    const asked = run([
      frame(wsFrame("incident.new", "w1", { incident_id: "w1", alert_type: "Memory Leak", logs: "" }), 0),
      frame(wsFrame("council.decision", "w1", { incident_id: "w1", decision }), 1),
      frame(
        wsFrame("status.update", "w1", {
          incident_id: "w1",
          status: "COUNCIL_REVIEW",
          message: "Awaiting human approval",
          agent: null,
        }),
        2,
      ),
    ]);
    expect(asked.incidents.w1).toMatchObject({ status: "COUNCIL_REVIEW", awaitingApproval: true });
    const decided = run(
      [
        frame(
          wsFrame("status.update", "w1", {
            incident_id: "w1",
            status: "HUMAN_DECISION",
            message: "Approved by a",
            agent: "HUMAN",
          }),
          3,
        ),
      ],
      asked,
    );
    expect(decided.incidents.w1?.awaitingApproval).toBe(false);
    // The REST catch-up says so with the approval object.
    const snap = liveReducer(emptyLiveState, {
      kind: "snapshot",
      incidents: [
        {
          incident_id: "w2",
          alert_type: "x",
          status: "COUNCIL_REVIEW",
          analysis: null,
          council_decision: null,
          resolved_at: null,
          error: null,
          replicas_spawned: 0,
          timeline: [],
          approval: {
            state: "pending",
            reason: "protected",
            requested_at: at(0),
            expires_at: at(59),
            decided_by: null,
            decided_at: null,
            note: null,
            approve_url: "/a",
            reject_url: "/r",
          },
        } satisfies IncidentResult,
      ],
    });
    expect(snap.incidents.w2?.awaitingApproval).toBe(true);
  });
});
