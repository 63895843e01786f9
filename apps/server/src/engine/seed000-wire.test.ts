import {
  type CouncilDecision,
  type IncidentResult,
  Seed000IncidentResult,
  type TimelineEntry,
  wsFrame,
} from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { approvalOf, frameOnSeed000Wire, humanDecisionMessage, onSeed000Wire } from "./seed000-wire.js";

const HOUR = 3_600_000;
const at = (m: number) => new Date(Date.UTC(2026, 11, 6, 8, m)).toISOString();
const entry = (m: number, status: TimelineEntry["status"], message: string, agent: string | null = null) => ({
  ts: at(m),
  status,
  message,
  agent,
});
const review: CouncilDecision = {
  votes: [
    { role: "SRE_AGENT", verdict: "APPROVED", reasoning: "restart", timestamp: at(1) },
    { role: "SECURITY_OFFICER", verdict: "NEEDS_REVIEW", reasoning: "protected", timestamp: at(1) },
    { role: "AUDITOR", verdict: "APPROVED", reasoning: "ok", timestamp: at(1) },
  ],
  final_verdict: "NEEDS_REVIEW",
  consensus: false,
  summary: "Council voted 2/3 APPROVED. Final: NEEDS_REVIEW (protected target)",
};
const asked = [
  entry(0, "RECEIVED", "Incident received via webhook."),
  entry(1, "COUNCIL_DECISION", review.summary),
  entry(1, "AWAITING_APPROVAL", "Awaiting human approval: protected target"),
];
const incident = (status: IncidentResult["status"], timeline: TimelineEntry[]): IncidentResult => ({
  incident_id: "inc-1",
  alert_type: "Memory Leak",
  status,
  analysis: null,
  council_decision: review,
  resolved_at: null,
  error: null,
  replicas_spawned: 0,
  timeline,
});

describe("seed 000's wire for human approvals", () => {
  it("a pending review stays COUNCIL_REVIEW, not approved, with the approval and its expiry", () => {
    const wire = onSeed000Wire(incident("AWAITING_APPROVAL", asked), HOUR);
    expect(Seed000IncidentResult.parse(wire)).toBeTruthy();
    expect(wire.status).toBe("COUNCIL_REVIEW");
    expect(wire.council_decision).toMatchObject({ final_verdict: "REJECTED", awaiting_human: true });
    expect(wire.timeline.map((t) => t.status)).toEqual(["RECEIVED", "COUNCIL_DECISION", "COUNCIL_REVIEW"]);
    expect(wire.approval).toMatchObject({
      state: "pending",
      requested_at: at(1),
      expires_at: at(61),
      decided_by: null,
    });
  });

  it("a person's approval reads APPROVED with who decided and their note", () => {
    const timeline = [
      ...asked,
      entry(5, "HUMAN_DECISION", humanDecisionMessage("Approved", "alice@example.com", "db team agrees: go"), "HUMAN"),
      entry(5, "APPROVED", "Human reviewer approved the action."),
      entry(6, "EXECUTING", "Executing: RESTART on buggy-app-v2"),
    ];
    const wire = onSeed000Wire(incident("EXECUTING", timeline), HOUR);
    expect(wire.council_decision?.final_verdict).toBe("APPROVED");
    expect(wire.approval).toMatchObject({
      state: "approved",
      decided_by: "alice@example.com",
      decided_at: at(5),
      note: "db team agrees: go",
    });
  });

  it("a rejection and an expiry read REJECTED and end FAILED", () => {
    const rejected = [
      ...asked,
      entry(7, "HUMAN_DECISION", humanDecisionMessage("Rejected", "bob"), "HUMAN"),
      entry(7, "FAILED", "Rejected by bob"),
    ];
    expect(approvalOf("inc-1", rejected, HOUR)).toMatchObject({ state: "rejected", decided_by: "bob", note: null });
    const expired = [...asked, entry(61, "FAILED", "Approval expired: nobody approved or rejected")];
    const wire = onSeed000Wire(incident("FAILED", expired), HOUR);
    expect(wire).toMatchObject({ status: "FAILED", council_decision: { final_verdict: "REJECTED" } });
    expect(wire.approval).toMatchObject({ state: "expired", decided_by: null, decided_at: at(61) });
  });

  it("an incident nobody was asked about has no approval and keeps the council's verdict", () => {
    const approved = { ...review, final_verdict: "APPROVED" as const };
    const wire = onSeed000Wire({ ...incident("RESOLVED", asked.slice(0, 2)), council_decision: approved }, HOUR);
    expect(wire).not.toHaveProperty("approval");
    expect(wire.council_decision).toEqual(approved);
  });

  it("frames: the review waiting for a person is COUNCIL_REVIEW / REJECTED on /ws; others pass unchanged", () => {
    const status = frameOnSeed000Wire(
      wsFrame("status.update", "inc-1", {
        incident_id: "inc-1",
        status: "AWAITING_APPROVAL",
        message: "m",
        agent: null,
      }),
    );
    expect(status.data).toMatchObject({ status: "COUNCIL_REVIEW" });
    const decision = frameOnSeed000Wire(
      wsFrame("council.decision", "inc-1", { incident_id: "inc-1", decision: review }),
    );
    expect(decision.data).toMatchObject({ decision: { final_verdict: "REJECTED", awaiting_human: true } });
    const resolved = wsFrame("resolved", "inc-1", { incident_id: "inc-1", resolved_at: at(9) });
    expect(frameOnSeed000Wire(resolved)).toBe(resolved);
  });
});
