import type { WsFrame } from "@aegis/contracts";

/** Events a webhook can subscribe to, derived from the engine's frames. */
export const WEBHOOK_EVENTS = [
  "incident.created",
  "incident.updated",
  "incident.decided",
  "incident.action",
  "incident.resolved",
  "incident.failed",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The webhook event a frame stands for, with its `data`; null for frames that are not incident events. */
export function webhookEventOf(frame: WsFrame): { event: WebhookEvent; data: Record<string, unknown> } | null {
  switch (frame.type) {
    case "incident.new":
      return {
        event: "incident.created",
        data: { incident_id: frame.data.incident_id, alert_type: frame.data.alert_type },
      };
    case "status.update":
      return { event: "incident.updated", data: { ...frame.data } };
    case "council.decision":
      return {
        event: "incident.decided",
        data: { incident_id: frame.data.incident_id, decision: frame.data.decision },
      };
    case "docker.action":
      return { event: "incident.action", data: { ...frame.data } };
    case "resolved":
      return { event: "incident.resolved", data: { ...frame.data } };
    case "failed":
      return { event: "incident.failed", data: { ...frame.data } };
    default:
      return null;
  }
}
