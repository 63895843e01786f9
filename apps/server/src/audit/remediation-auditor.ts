import type { WsFrame } from "@aegis/contracts";
import type { AuditEntry, AuditTrail } from "../ports/audit-trail.js";
import { SYSTEM_ACTOR } from "../ports/audit-trail.js";
import type { EventBus } from "../ports/event-bus.js";

/** Timeline statuses that are decisions about a remediation (human approval, rejection, expiry). */
const DECISION_STATUSES = new Set(["AWAITING_APPROVAL", "APPROVED", "REJECTED", "HUMAN_DECISION"]);

/**
 * The audit entry a frame stands for, or null when it is not a remediation event. The pipeline acts as
 * the product itself (`system` actor); a human's approval arrives as an `agent`-attributed status update.
 */
export function remediationEntryOf(frame: WsFrame, projectId: string): AuditEntry | null {
  const base = { projectId, actor: SYSTEM_ACTOR, resourceType: "incident", resourceId: frame.incident_id };
  switch (frame.type) {
    case "council.decision":
      return {
        ...base,
        action: "council.decision",
        outcome: "success",
        after: {
          final_verdict: frame.data.decision.final_verdict,
          consensus: frame.data.decision.consensus,
          summary: frame.data.decision.summary,
          policy_violations: frame.data.decision.policy_violations ?? [],
        },
      };
    case "docker.action":
      return {
        ...base,
        action: "remediation.executed",
        resourceType: "target",
        resourceId: frame.data.container,
        outcome: "success",
        after: { incident_id: frame.data.incident_id, action: frame.data.action, target: frame.data.container },
      };
    case "scale.event":
      return {
        ...base,
        action: "remediation.scaled",
        resourceType: "target",
        resourceId: frame.data.event.container_base,
        outcome: "success",
        after: { incident_id: frame.data.incident_id, ...frame.data.event },
      };
    case "resolved":
      return { ...base, action: "incident.resolved", outcome: "success", after: frame.data };
    case "failed":
      return { ...base, action: "incident.failed", outcome: "failure", after: frame.data };
    case "status.update": {
      if (!DECISION_STATUSES.has(frame.data.status)) return null;
      const agent = frame.data.agent;
      return {
        ...base,
        action: `approval.${frame.data.status.toLowerCase()}`,
        actor: agent ? { kind: "user", id: agent, name: agent } : SYSTEM_ACTOR,
        outcome: "success",
        after: { status: frame.data.status, message: frame.data.message },
      };
    }
    default:
      return null;
  }
}

/** Records every remediation event the bus carries in its project's audit chain. */
export function auditRemediations(bus: EventBus, audit: AuditTrail & { recordLater(e: AuditEntry): void }): () => void {
  return bus.subscribe((frame, projectId) => {
    const entry = remediationEntryOf(frame, projectId);
    if (entry) audit.recordLater(entry);
  });
}
