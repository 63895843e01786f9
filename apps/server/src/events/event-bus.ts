import type { WsFrame, WsFrameType } from "@aegis/contracts";
import type { EventBus, FrameListener } from "../ports/event-bus.js";

/** Single-process bus. A failing listener never breaks the publisher or other listeners. */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Set<FrameListener>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => undefined) {}

  publish(type: WsFrameType, incidentId: string | null, data: unknown): void {
    const frame: WsFrame = { type, incident_id: incidentId, data, timestamp: new Date().toISOString() };
    for (const l of this.listeners) {
      try {
        l(frame);
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
