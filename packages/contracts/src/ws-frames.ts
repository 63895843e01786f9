import { z } from "zod";
import { ActionType, TimelineStatus } from "./enums.js";
import { AIAnalysis, CouncilDecision, CouncilVote } from "./incident.js";
import { AlertEvent } from "./monitor-responses.js";
import { ContainerInfo, ContainerMetrics, ScaleEvent } from "./runtime.js";

/**
 * Seed 000's WebSocket frames: one payload schema per frame type, under the seed's envelope
 * (`type`, `incident_id`, `data`, `timestamp`). Field names are the seed's; additions are marked.
 */
export const WsFramePayloads = {
  /** On connect `connected`; answering a `ping`, `alive`. */
  heartbeat: z.object({ status: z.enum(["connected", "alive"]) }),
  /** `logs` is the first 200 characters, as the seed's `logs[:200]`. */
  /** `severity` (the alert's, as sent) extends the seed's payload; absent on frames of older servers. */
  "incident.new": z.object({
    incident_id: z.string(),
    alert_type: z.string(),
    logs: z.string(),
    severity: z.string().nullable().optional(),
  }),
  /** One per timeline entry; `agent` (who wrote the entry, null for the pipeline) extends the seed. */
  "status.update": z.object({
    incident_id: z.string(),
    status: TimelineStatus,
    message: z.string(),
    agent: z.string().nullable(),
  }),
  "ai.thinking": z.object({ incident_id: z.string(), message: z.string() }),
  "ai.stream": z.object({ incident_id: z.string(), chunk: z.string(), full_text: z.string() }),
  "ai.complete": z.object({ incident_id: z.string(), analysis: AIAnalysis }),
  "council.vote": z.object({ incident_id: z.string(), vote: CouncilVote }),
  "council.decision": z.object({ incident_id: z.string(), decision: CouncilDecision }),
  "docker.action": z.object({ incident_id: z.string(), action: ActionType, container: z.string() }),
  /**
   * `incident_id` is null for a manual `POST /scale/{direction}`. A scale-down is reported as an
   * event with no replicas left plus the `removed` ones (an addition: the seed's ScaleEvent has none).
   */
  "scale.event": z.object({
    incident_id: z.string().nullable(),
    event: ScaleEvent.extend({ removed: z.array(z.string()).optional() }),
  }),
  "health.check": z.object({ incident_id: z.string(), attempt: z.number().int(), healthy: z.boolean() }),
  resolved: z.object({ incident_id: z.string(), resolved_at: z.string() }),
  failed: z.object({ incident_id: z.string(), error: z.string() }),
  metrics: z.array(ContainerMetrics),
  "container.list": z.array(ContainerInfo),
  /**
   * Added (not in seed 000): a predictive-monitor level change (seed 004's alert event, in data time;
   * `incident_id` null). Seed-002 subscribers of `alerts` get the rising ones as `alert.fired`.
   */
  "monitor.alert": AlertEvent,
  /**
   * Added (not in seed 000): hypotheses stored for an incident outside the pipeline (seed 001's analyze
   * with an `incident_id`). Seed-002 subscribers of `hypotheses` get it as `hypothesis.generated`.
   */
  "analysis.hypotheses": z.object({
    incident_id: z.string(),
    count: z.number().int(),
    top_hypothesis: z.object({ claim: z.string(), confidence_score: z.number() }).nullable(),
  }),
} as const;

export type WsFrameType = keyof typeof WsFramePayloads;
/**
 * Frame types seed 000 does not list. A seed-000 client gets exactly the seed's frame types; these go
 * only to clients that ask for them on the upgrade (`/ws?frames=all`, as the cockpit does).
 */
export const ADDED_FRAME_TYPES: ReadonlySet<WsFrameType> = new Set<WsFrameType>([
  "monitor.alert",
  "analysis.hypotheses",
]);
/** Every WebSocket frame type of seed 000. */
export const WsFrameType = z.enum(Object.keys(WsFramePayloads) as [WsFrameType, ...WsFrameType[]]);

/** What a frame of type `T` carries in `data`. */
export type FramePayload<T extends WsFrameType> = z.infer<(typeof WsFramePayloads)[T]>;

function envelope<T extends WsFrameType>(type: T) {
  return z.object({
    type: z.literal(type),
    incident_id: z.string().nullable(),
    data: WsFramePayloads[type],
    timestamp: z.string(),
  });
}

/** The seed's frame envelope, discriminated on `type`. */
export const WsFrame = z.discriminatedUnion("type", [
  envelope("heartbeat"),
  envelope("incident.new"),
  envelope("status.update"),
  envelope("ai.thinking"),
  envelope("ai.stream"),
  envelope("ai.complete"),
  envelope("council.vote"),
  envelope("council.decision"),
  envelope("docker.action"),
  envelope("scale.event"),
  envelope("health.check"),
  envelope("resolved"),
  envelope("failed"),
  envelope("metrics"),
  envelope("container.list"),
  envelope("monitor.alert"),
  envelope("analysis.hypotheses"),
]);
export type WsFrame = z.infer<typeof WsFrame>;
/** The frame of one type. */
export type WsFrameOf<T extends WsFrameType> = Extract<WsFrame, { type: T }>;

/** A frame stamped now. */
export function wsFrame<T extends WsFrameType>(
  type: T,
  incidentId: string | null,
  data: FramePayload<T>,
): WsFrameOf<T> {
  // TypeScript cannot narrow a union by a generic discriminant; `data` is tied to `type` by the signature.
  return { type, incident_id: incidentId, data, timestamp: new Date().toISOString() } as WsFrameOf<T>;
}
