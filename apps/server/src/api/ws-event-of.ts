import type { AlertEvent, WsEvent, WsFrame } from "@aegis/contracts";
import { lifecycleMoveOf } from "../engine/incident-view.js";

/**
 * The seed-002 event a seed-000 frame stands for, or null. Both protocols are views of the same bus
 * frames, so the two kinds of client never disagree on what happened.
 */
export function wsEventOf(frame: WsFrame): WsEvent | null {
  const timestamp = frame.timestamp;
  switch (frame.type) {
    case "incident.new":
      return {
        type: "incident.created",
        data: {
          id: frame.data.incident_id,
          title: frame.data.alert_type,
          severity: frame.data.severity ?? null,
          state: "detected",
        },
        timestamp,
      };
    case "status.update": {
      const { incident_id: id, status, message, agent } = frame.data;
      const state = lifecycleMoveOf(agent, message);
      const data = state ? { id, state, message } : { id, automation_status: status, message };
      return { type: "incident.updated", data, timestamp };
    }
    case "ai.complete":
      // The pipeline stores one diagnosis per analysis: its root cause is the top (and only) hypothesis.
      return {
        type: "hypothesis.generated",
        incidentId: frame.data.incident_id,
        data: {
          count: 1,
          top_hypothesis: { claim: frame.data.analysis.root_cause, confidence_score: frame.data.analysis.confidence },
        },
        timestamp,
      };
    case "monitor.alert":
      return alertFiredOf(frame.data);
    case "analysis.hypotheses":
      return frame.data.top_hypothesis
        ? {
            type: "hypothesis.generated",
            incidentId: frame.data.incident_id,
            data: { count: frame.data.count, top_hypothesis: frame.data.top_hypothesis },
            timestamp,
          }
        : null;
    default:
      return null;
  }
}

/**
 * The seed-002 `alert.fired` of a predictive-monitor event, or null: only a level that rises (raised,
 * escalated) fires; de-escalations and resolutions are the monitor's history, not alerts.
 */
export function alertFiredOf(e: AlertEvent): WsEvent | null {
  if (e.event_type !== "raised" && e.event_type !== "escalated") return null;
  return {
    type: "alert.fired",
    data: {
      alertname: "PredictedFailureRisk",
      severity: e.new_level,
      service: e.server_name,
      description: e.message ?? `${e.profile}: risk ${e.risk_score.toFixed(2)} (${e.previous_level} → ${e.new_level})`,
    },
    timestamp: e.timestamp,
  };
}
