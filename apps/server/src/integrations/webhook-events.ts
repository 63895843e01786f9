import type { WsFrame, WsFrameType } from "@aegis/contracts";

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

/** The webhook event each incident frame stands for; other frames are not webhook events. */
const EVENT_OF_FRAME: Partial<Record<WsFrameType, WebhookEvent>> = {
  "incident.new": "incident.created",
  "status.update": "incident.updated",
  "council.decision": "incident.decided",
  "docker.action": "incident.action",
  resolved: "incident.resolved",
  failed: "incident.failed",
};

/** The webhook event a frame type stands for, without building its `data`; null when none. */
export function webhookEventTypeOf(type: WsFrameType): WebhookEvent | null {
  return EVENT_OF_FRAME[type] ?? null;
}

/** The webhook event a frame stands for, with its `data`; null for frames that are not incident events. */
export function webhookEventOf(frame: WsFrame): { event: WebhookEvent; data: Record<string, unknown> } | null {
  const event = webhookEventTypeOf(frame.type);
  if (!event) return null;
  switch (frame.type) {
    case "incident.new":
      return { event, data: { incident_id: frame.data.incident_id, alert_type: frame.data.alert_type } };
    case "council.decision":
      return { event, data: { incident_id: frame.data.incident_id, decision: frame.data.decision } };
    default:
      return { event, data: { ...frame.data } };
  }
}
