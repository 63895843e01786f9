import { wsFrame } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { backoffDelay, type ConnectionState, LiveConnection, type SocketLike } from "./live-connection.js";

class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
}

/** A connection over scripted sockets and a manual clock. */
function harness(urls: () => Promise<string>) {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const opens: boolean[] = [];
  const frames: string[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const conn = new LiveConnection({
    url: urls,
    onFrame: (f) => frames.push(f.type),
    onState: (s) => states.push(s),
    onOpen: (reconnect) => opens.push(reconnect),
    socket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 1,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
  });
  return { conn, sockets, states, opens, frames, timers };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("backoffDelay", () => {
  it("doubles per attempt up to the cap, jittered into the upper half", () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, 100, 1000, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(2, 100, 1000, () => 0)).toBe(200);
    expect(backoffDelay(500, 100, 1000, () => 1)).toBe(1000);
  });
});

describe("LiveConnection", () => {
  it("passes frames on, reconnects with growing delays after drops, and asks to catch up after a reconnect", async () => {
    let n = 0;
    const h = harness(async () => `ws://x/ws?token=t${++n}`);
    h.conn.start();
    await tick();
    expect(h.states).toEqual(["connecting"]);
    h.sockets[0]?.onopen?.({});
    expect(h.states.at(-1)).toBe("open");
    expect(h.opens).toEqual([false]);
    h.sockets[0]?.onmessage?.({ data: JSON.stringify(wsFrame("heartbeat", null, { status: "connected" })) });
    h.sockets[0]?.onmessage?.({ data: "not json" });
    expect(h.frames).toEqual(["heartbeat"]);

    // The server goes away: retry after 100 ms, then (still down) 200 ms, each with a fresh token.
    h.sockets[0]?.onclose?.({});
    expect(h.states.at(-1)).toBe("reconnecting");
    expect(h.timers.map((t) => t.ms)).toEqual([100]);
    h.timers[0]?.fn();
    await tick();
    expect(h.sockets[1]?.url).toBe("ws://x/ws?token=t2");
    h.sockets[1]?.onclose?.({});
    expect(h.timers.map((t) => t.ms)).toEqual([100, 200]);
    h.timers[1]?.fn();
    await tick();
    h.sockets[2]?.onopen?.({});
    expect(h.opens).toEqual([false, true]);
    expect(h.states.at(-1)).toBe("open");

    // After a successful open the delays start over.
    h.sockets[2]?.onclose?.({});
    expect(h.timers.at(-1)?.ms).toBe(100);
  });

  it("retries when the credential cannot be fetched, and stops for good when stopped", async () => {
    let fail = true;
    const h = harness(async () => {
      if (fail) throw new Error("401");
      return "ws://x/ws";
    });
    h.conn.start();
    await tick();
    expect(h.sockets).toHaveLength(0);
    expect(h.timers).toHaveLength(1);
    fail = false;
    h.timers[0]?.fn();
    await tick();
    expect(h.sockets).toHaveLength(1);
    h.conn.stop();
    expect(h.sockets[0]?.closed).toBe(true);
    expect(h.states.at(-1)).toBe("closed");
    // A late close of the old socket schedules nothing.
    h.sockets[0]?.onclose?.({});
    expect(h.timers).toHaveLength(1);
  });
});
