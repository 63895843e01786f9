import type { WsFrame } from "@aegis/contracts";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

/** The part of the browser's WebSocket the connection uses (a test passes a scripted one). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export interface LiveConnectionOptions {
  /** The `/ws` URL to open, with a fresh credential each time (ws tokens are short-lived). */
  url: () => Promise<string>;
  onFrame: (frame: WsFrame) => void;
  onState: (state: ConnectionState) => void;
  /** After every successful open: `reconnect` is true when frames may have been missed (fetch what changed). */
  onOpen: (reconnect: boolean) => void;
  socket?: (url: string) => SocketLike;
  /** First retry delay; doubles per failed attempt up to `maxDelayMs`, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

/** The delay before retry `attempt` (0-based): exponential, capped, jittered into [½, 1] of the step. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(step * (0.5 + random() / 2));
}

/** `/ws` kept open: reconnects by itself with backoff and tells when to catch up on missed frames. */
export class LiveConnection {
  private ws: SocketLike | null = null;
  private attempt = 0;
  private everOpened = false;
  private stopped = false;
  private timer: unknown = null;
  private readonly o: Required<Omit<LiveConnectionOptions, "socket">> & Pick<LiveConnectionOptions, "socket">;

  constructor(options: LiveConnectionOptions) {
    this.o = {
      baseDelayMs: 500,
      maxDelayMs: 15_000,
      random: Math.random,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  start(): void {
    this.stopped = false;
    void this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.o.clearTimer(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.o.onState("closed");
  }

  /** Drop the current socket and reconnect now (e.g. after switching project). */
  restart(): void {
    this.stop();
    this.attempt = 0;
    this.everOpened = false;
    this.start();
  }

  private async open(): Promise<void> {
    this.o.onState(this.everOpened || this.attempt > 0 ? "reconnecting" : "connecting");
    let url: string;
    try {
      url = await this.o.url();
    } catch {
      return this.retry();
    }
    if (this.stopped) return;
    const ws = this.o.socket ? this.o.socket(url) : (new WebSocket(url) as unknown as SocketLike);
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      const reconnect = this.everOpened;
      this.attempt = 0;
      this.everOpened = true;
      this.o.onState("open");
      this.o.onOpen(reconnect);
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws || typeof ev.data !== "string") return;
      try {
        this.o.onFrame(JSON.parse(ev.data) as WsFrame);
      } catch {
        // A frame that is not JSON is not ours to show.
      }
    };
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      // Frames may be missed while down: the next open reports `reconnect`.
      if (!this.stopped) this.retry();
    };
  }

  private retry(): void {
    if (this.stopped) return;
    this.o.onState("reconnecting");
    const delay = backoffDelay(this.attempt++, this.o.baseDelayMs, this.o.maxDelayMs, this.o.random);
    this.timer = this.o.setTimer(() => {
      this.timer = null;
      void this.open();
    }, delay);
  }
}
