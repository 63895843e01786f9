import { useSyncExternalStore } from "react";
import { emptyLiveState, type LiveAction, type LiveState, liveReducer } from "./frame-reducer.js";

/**
 * The live state outside React: frames arrive at up to tens per second, and each component subscribes to
 * the slice it shows (a metrics frame re-renders the charts, not the incident table).
 */
export class LiveStore {
  private state: LiveState = emptyLiveState;
  private readonly listeners = new Set<() => void>();

  get = (): LiveState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch(action: LiveAction): void {
    const next = liveReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const l of [...this.listeners]) l();
  }
}

/** A slice of the live state; the selector must return a part of the state (or a primitive), not a new object. */
export function useLive<T>(store: LiveStore, select: (s: LiveState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
