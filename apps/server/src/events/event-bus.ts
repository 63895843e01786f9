import { type FramePayload, type WsFrameType, wsFrame } from "@aegis/contracts";
import type { EventBus, FrameListener } from "../ports/event-bus.js";

/** Single-process bus. A failing listener never breaks the publisher or other listeners. */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Set<FrameListener>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => undefined) {}

  publish<T extends WsFrameType>(projectId: string, type: T, incidentId: string | null, data: FramePayload<T>): void {
    const frame = wsFrame(type, incidentId, data);
    for (const l of this.listeners) {
      try {
        l(frame, projectId);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  subscribe(listener: FrameListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
