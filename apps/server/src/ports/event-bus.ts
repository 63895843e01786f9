import type { FramePayload, WsFrame, WsFrameType } from "@aegis/contracts";

/**
 * A frame and the project it belongs to. The project never goes on the wire (the seed-000 envelope is
 * `{type, incident_id, data, timestamp}`); consumers use it to deliver a frame only within its tenant.
 */
export type FrameListener = (frame: WsFrame, projectId: string) => void;

/** Port: typed frames fan out from the engine to the WebSocket hub (and, later, SSE and other nodes). */
export interface EventBus {
  /** `data` must be the payload of a `type` frame (the contracts' `WsFramePayloads`). */
  publish<T extends WsFrameType>(projectId: string, type: T, incidentId: string | null, data: FramePayload<T>): void;
  subscribe(listener: FrameListener): () => void;
}
