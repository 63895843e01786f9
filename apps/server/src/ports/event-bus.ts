import type { FramePayload, WsFrame, WsFrameType } from "@aegis/contracts";

export type FrameListener = (frame: WsFrame) => void;

/** Port: typed frames fan out from the engine to the WebSocket hub (and, later, SSE and other nodes). */
export interface EventBus {
  /** `data` must be the payload of a `type` frame (the contracts' `WsFramePayloads`). */
  publish<T extends WsFrameType>(type: T, incidentId: string | null, data: FramePayload<T>): void;
  subscribe(listener: FrameListener): () => void;
}
