import type { WsFrame, WsFrameType } from "@aegis/contracts";

export type FrameListener = (frame: WsFrame) => void;

/** Port: typed frames fan out from the engine to the WebSocket hub (and, later, SSE and other nodes). */
export interface EventBus {
  publish(type: WsFrameType, incidentId: string | null, data: unknown): void;
  subscribe(listener: FrameListener): () => void;
}
