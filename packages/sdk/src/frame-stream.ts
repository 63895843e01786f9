import type { WsFrame } from "@aegis/contracts";
import type WebSocket from "ws";

/**
 * An open `/ws` connection: every frame is kept in `frames` (so a test can look back), `waitFor` resolves on the
 * first frame matching a predicate, and `for await` yields frames as they arrive until the socket closes.
 */
export class FrameStream implements AsyncIterable<WsFrame> {
  readonly frames: WsFrame[] = [];
  private closed = false;
  private readonly listeners = new Set<() => void>();

  constructor(readonly ws: WebSocket) {
    ws.on("message", (raw) => {
      this.frames.push(JSON.parse(raw.toString()) as WsFrame);
      this.notify();
    });
    // A socket error is always followed by "close", which ends the stream; without a listener it would throw.
    ws.on("error", () => undefined);
    ws.on("close", () => {
      this.closed = true;
      this.notify();
    });
  }

  /** The first frame (already received or still to come) matching `p`; rejects after `timeoutMs`. */
  waitFor(p: (f: WsFrame) => boolean, timeoutMs = 20_000): Promise<WsFrame> {
    return new Promise((resolve, reject) => {
      let seen = 0;
      const check = () => {
        for (; seen < this.frames.length; seen++) {
          const f = this.frames[seen] as WsFrame;
          if (p(f)) return done(() => resolve(f));
        }
        if (this.closed) done(() => reject(new Error("socket closed before the frame came")));
      };
      const timer = setTimeout(() => done(() => reject(new Error("timed out waiting for a frame"))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Frames from the one after the last already received, until the socket closes. */
  [Symbol.asyncIterator](): AsyncIterator<WsFrame> {
    return this.since(this.frames.length);
  }

  /** Frames from index `start` of `frames` (0: every frame since the socket opened), until the socket closes. */
  async *since(start = 0): AsyncGenerator<WsFrame, void, undefined> {
    let next = start;
    for (;;) {
      while (next < this.frames.length) yield this.frames[next++] as WsFrame;
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.listeners.delete(wake);
          resolve();
        };
        this.listeners.add(wake);
      });
    }
  }

  /** Closes the socket (a normal 1000 close); resolves once it is closed. */
  close(): Promise<void> {
    if (this.closed || this.ws.readyState === this.ws.CLOSED) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.ws.once("close", () => resolve()));
    this.ws.close(1000);
    return done;
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}
