import { z } from "zod";

/** Every WebSocket frame type of seed 000. */
export const WsFrameType = z.enum([
  "heartbeat",
  "incident.new",
  "status.update",
  "ai.thinking",
  "ai.stream",
  "ai.complete",
  "council.vote",
  "council.decision",
  "docker.action",
  "scale.event",
  "health.check",
  "resolved",
  "failed",
  "metrics",
  "container.list",
]);
export type WsFrameType = z.infer<typeof WsFrameType>;

/** The seed's frame envelope. */
export const WsFrame = z.object({
  type: WsFrameType,
  incident_id: z.string().nullable(),
  data: z.unknown(),
  timestamp: z.string(),
});
export type WsFrame = z.infer<typeof WsFrame>;
