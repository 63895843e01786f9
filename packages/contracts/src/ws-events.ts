import { z } from "zod";
import { TimelineStatus } from "./enums.js";
import { LifecycleState } from "./incidents-v1.js";

/**
 * Seed 002's WebSocket protocol on `/ws`, beside seed 000's frames: a client authenticates with a
 * `connect` message, subscribes to channels, and then receives the events of its project on them.
 */

export const WsChannel = z.enum(["incidents", "hypotheses", "alerts"]);
export type WsChannel = z.infer<typeof WsChannel>;

/** What a seed-002 client sends. */
export const WsClientMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("connect"),
    /** An access token, a ws-token (`GET /api/v1/auth/ws-token`) or an API key. */
    token: z.string().min(1),
    /** Accepted and not trusted: the token alone decides the project (and so the tenant) a client sees. */
    tenantId: z.string().optional(),
  }),
  z.object({ type: z.literal("subscribe"), channels: z.array(WsChannel).min(1) }),
  z.object({ type: z.literal("unsubscribe"), channels: z.array(WsChannel).min(1) }),
]);
export type WsClientMessage = z.infer<typeof WsClientMessage>;

/** The server's answers to `connect` and `subscribe`, and its refusals (then the socket closes). */
export const WsControlMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("connected"), project_id: z.string(), principal: z.string(), timestamp: z.string() }),
  z.object({ type: z.literal("subscribed"), channels: z.array(WsChannel), timestamp: z.string() }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string(), timestamp: z.string() }),
]);
export type WsControlMessage = z.infer<typeof WsControlMessage>;

/** Close code of a refused `connect` (HTTP 401 in the 4000 range applications own). */
export const WS_CLOSE_UNAUTHORIZED = 4401;

export const WsEventPayloads = {
  "incident.created": z.object({
    id: z.string(),
    title: z.string(),
    /** The alert's severity as the incident stores it (null when the alert gave none). */
    severity: z.string().nullable(),
    state: LifecycleState,
  }),
  "incident.updated": z.object({
    id: z.string(),
    /** Present when the human lifecycle moved. */
    state: LifecycleState.optional(),
    /** Otherwise the status of the pipeline's timeline entry. */
    automation_status: TimelineStatus.optional(),
    message: z.string().optional(),
  }),
  "hypothesis.generated": z.object({
    count: z.number().int(),
    top_hypothesis: z.object({ claim: z.string(), confidence_score: z.number() }),
  }),
  "alert.fired": z.object({
    alertname: z.string(),
    severity: z.string(),
    service: z.string(),
    description: z.string(),
  }),
} as const;

export type WsEventType = keyof typeof WsEventPayloads;
export type WsEventPayload<T extends WsEventType> = z.infer<(typeof WsEventPayloads)[T]>;

/** The channel each event type is delivered on. */
export const WS_EVENT_CHANNEL: Record<WsEventType, WsChannel> = {
  "incident.created": "incidents",
  "incident.updated": "incidents",
  "hypothesis.generated": "hypotheses",
  "alert.fired": "alerts",
};

export const WsEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("incident.created"), data: WsEventPayloads["incident.created"], timestamp: z.string() }),
  z.object({ type: z.literal("incident.updated"), data: WsEventPayloads["incident.updated"], timestamp: z.string() }),
  z.object({
    type: z.literal("hypothesis.generated"),
    incidentId: z.string(),
    data: WsEventPayloads["hypothesis.generated"],
    timestamp: z.string(),
  }),
  z.object({ type: z.literal("alert.fired"), data: WsEventPayloads["alert.fired"], timestamp: z.string() }),
]);
export type WsEvent = z.infer<typeof WsEvent>;
