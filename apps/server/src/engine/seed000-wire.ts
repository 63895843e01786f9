import type {
  Approval,
  CouncilDecision,
  IncidentResult,
  Seed000IncidentResult,
  TimelineEntry,
  WsFrame,
} from "@aegis/contracts";

/**
 * Seed 000's wire for the product's human approvals (ADR 0011). The store keeps the automation's own
 * states (`AWAITING_APPROVAL`, a council's `NEEDS_REVIEW`), which `/api/v1` shows as they are; seed 000's
 * routes and `/ws` frames write them in the seed's enums:
 * - `status` stays `COUNCIL_REVIEW` while a person is to decide, with an `approval` object saying so;
 * - `final_verdict` is `APPROVED` only when the council or a person approved; a review that waits for a
 *   person reads `REJECTED` (not approved for autonomous execution) with `awaiting_human: true`, so a
 *   seed-000 client that acts on `APPROVED` never acts on an undecided proposal;
 * - a person's rejection and an approval nobody gave end `FAILED` with the reason (`failed` frame).
 */

/** The timeline message of a person's decision; `decisionOf` reads it back. */
export function humanDecisionMessage(verdict: "Approved" | "Rejected", by: string, note?: string): string {
  return `${verdict} by ${by}${note ? `: ${note}` : ""}`;
}

const DECISION = /^(Approved|Rejected) by (.+?)(?:: (.*))?$/s;

/** The agent of a person's decision on the timeline. */
export const HUMAN_AGENT = "HUMAN";

/**
 * The approval of an incident, read from its timeline: the last `AWAITING_APPROVAL` entry opens it, the
 * next `HUMAN_DECISION` closes it, and a `FAILED` entry with no decision between means it expired.
 */
export function approvalOf(incidentId: string, timeline: readonly TimelineEntry[], expiryMs: number): Approval | null {
  let opened = -1;
  for (let i = timeline.length - 1; i >= 0; i--) {
    if (timeline[i]?.status === "AWAITING_APPROVAL") {
      opened = i;
      break;
    }
  }
  const request = timeline[opened];
  if (!request) return null;
  const base = `/api/v1/incidents/${encodeURIComponent(incidentId)}`;
  const approval: Approval = {
    state: "pending",
    reason: request.message,
    requested_at: request.ts,
    expires_at: new Date(Date.parse(request.ts) + expiryMs).toISOString(),
    decided_by: null,
    decided_at: null,
    note: null,
    approve_url: `${base}/approve`,
    reject_url: `${base}/reject`,
  };
  for (const entry of timeline.slice(opened + 1)) {
    if (entry.status === "HUMAN_DECISION") {
      const m = DECISION.exec(entry.message);
      return {
        ...approval,
        state: m?.[1] === "Approved" ? "approved" : "rejected",
        decided_by: m?.[2] ?? null,
        decided_at: entry.ts,
        note: m?.[3] ?? null,
      };
    }
    if (entry.status === "FAILED") return { ...approval, state: "expired", decided_at: entry.ts, note: entry.message };
  }
  return approval;
}

function decisionOnWire(decision: CouncilDecision, approval: Approval | null) {
  const pending = approval?.state === "pending";
  const final =
    approval?.state === "approved"
      ? "APPROVED"
      : approval && approval.state !== "pending"
        ? "REJECTED"
        : decision.final_verdict === "APPROVED"
          ? "APPROVED"
          : "REJECTED";
  return { ...decision, final_verdict: final, ...(approval ? { awaiting_human: pending } : {}) } as const;
}

const onWireStatus = <S extends string>(s: S) => (s === "AWAITING_APPROVAL" ? "COUNCIL_REVIEW" : s);

/** An incident as seed 000's routes answer it. */
export function onSeed000Wire(result: IncidentResult, expiryMs: number): Seed000IncidentResult {
  const approval = approvalOf(result.incident_id, result.timeline, expiryMs);
  return {
    ...result,
    // A pending approval is the newest state: the timeline may be read a moment after the row.
    status: (approval?.state === "pending"
      ? "COUNCIL_REVIEW"
      : onWireStatus(result.status)) as Seed000IncidentResult["status"],
    council_decision: result.council_decision ? decisionOnWire(result.council_decision, approval) : null,
    timeline: result.timeline.map((t) => ({
      ...t,
      status: onWireStatus(t.status) as Seed000IncidentResult["timeline"][number]["status"],
    })),
    // Only where a person was asked: seed 000's fields are unchanged on every other incident.
    ...(approval ? { approval } : {}),
  };
}

/** A frame as `/ws` sends it to a seed-000 client. */
export function frameOnSeed000Wire(frame: WsFrame): WsFrame {
  if (frame.type === "status.update" && frame.data.status === "AWAITING_APPROVAL") {
    return { ...frame, data: { ...frame.data, status: "COUNCIL_REVIEW" } };
  }
  if (frame.type === "council.decision" && frame.data.decision.final_verdict === "NEEDS_REVIEW") {
    return {
      ...frame,
      data: { ...frame.data, decision: { ...frame.data.decision, final_verdict: "REJECTED", awaiting_human: true } },
    } as WsFrame;
  }
  return frame;
}
