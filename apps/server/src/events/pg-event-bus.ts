import { randomUUID } from "node:crypto";
import { type FramePayload, type WsFrame, type WsFrameType, wsFrame } from "@aegis/contracts";
import pg from "pg";
import type { EventBus, FrameListener } from "../ports/event-bus.js";
import type { Logger } from "../shared/logger.js";

/**
 * The PostgreSQL channel frames travel on. Versioned with its payload format: a process of an older
 * version (one frame per payload) listens on `aegis_frames` and never receives a packed payload.
 */
export const FRAME_CHANNEL = "aegis_frames_2";
/** NOTIFY payloads must stay under 8000 bytes; at ≤ 4 bytes a character, 1900 characters always fit with the header. */
const CHUNK_CHARS = 1900;
/** Bytes of frames packed into one payload: under NOTIFY's 8000 with room for the header. */
export const PACK_BYTES = 7800;

/** A frame as it travels: its project and the frame. */
interface Shared {
  p: string;
  f: WsFrame;
}

interface PendingFrame {
  parts: (string | undefined)[];
  got: number;
  at: number;
}

/**
 * Frames shared by every process on one PostgreSQL database (ADR 0019). A frame is delivered at once to
 * this process's listeners and sent with NOTIFY; other processes deliver what they receive with LISTEN
 * and drop their own (each process has an id). Frames published together are packed into as few
 * payloads as fit (a JSON array each): a storm publishes ~20 frames per incident, and every payload costs
 * each listening process a notification to receive and PostgreSQL one to deliver to each of them. A frame
 * whose JSON exceeds one NOTIFY is sent alone as numbered chunks in one statement (one transaction:
 * delivered together, in order) and reassembled.
 * `local` carries only this process's frames: consumers that must act once per frame (outbound webhooks)
 * subscribe there, while the WebSocket hub sees every process's frames.
 */
export class PgEventBus implements EventBus {
  readonly nodeId = randomUUID().slice(0, 8);
  /** The same bus, but subscribers see only the frames this process published. */
  readonly local: EventBus;
  private readonly listeners = new Set<FrameListener>();
  private readonly ownListeners = new Set<FrameListener>();
  private readonly partials = new Map<string, PendingFrame>();
  private sending: Promise<void> = Promise.resolve();
  /** Frames (`{"p":…,"f":…}` JSON) not yet handed to PostgreSQL, in publishing order. */
  private readonly pending: string[] = [];
  private draining = false;
  private listener: pg.Client | null = null;
  private closed = false;
  private seq = 0;

  private constructor(
    private readonly url: string,
    private readonly publisher: pg.Pool,
    private readonly logger: Logger,
  ) {
    this.local = {
      publish: (projectId, type, incidentId, data) => this.publish(projectId, type, incidentId, data),
      subscribe: (listener) => {
        this.ownListeners.add(listener);
        return () => this.ownListeners.delete(listener);
      },
    };
  }

  static async connect(url: string, logger: Logger): Promise<PgEventBus> {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on("error", (err) => logger.warn({ err }, "frame publisher connection lost"));
    const bus = new PgEventBus(url, pool, logger);
    await bus.listen();
    return bus;
  }

  publish<T extends WsFrameType>(projectId: string, type: T, incidentId: string | null, data: FramePayload<T>): void {
    const frame = wsFrame(type, incidentId, data);
    this.deliver(this.ownListeners, frame, projectId);
    this.deliver(this.listeners, frame, projectId);
    this.pending.push(JSON.stringify({ p: projectId, f: frame }));
    if (!this.draining) this.sending = this.drain();
  }

  /**
   * Sends every queued payload in one statement per round trip, so a burst of frames (streamed tokens)
   * costs one query, not one each, and the gap between a commit and its NOTIFY stays one round trip.
   */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        const frames = this.pending.splice(0, this.pending.length);
        const batch = this.payloads(frames);
        try {
          await this.publisher.query(
            "select pg_notify($1, x) from unnest($2::text[]) with ordinality as t(x, i) order by i",
            [FRAME_CHANNEL, batch],
          );
        } catch (err) {
          this.logger.warn({ err, frames: frames.length }, "could not share frames with the other processes");
        }
      }
    } finally {
      this.draining = false;
    }
  }

  subscribe(listener: FrameListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  /** Resolves once every frame published so far has been handed to PostgreSQL. */
  flush(): Promise<void> {
    return this.sending;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.sending;
    await this.listener?.end().catch(() => undefined);
    await this.publisher.end();
  }

  private deliver(listeners: Set<FrameListener>, frame: WsFrame, projectId: string): void {
    for (const l of listeners) {
      try {
        l(frame, projectId);
      } catch (err) {
        this.logger.warn({ err }, "event listener failed");
      }
    }
  }

  /**
   * The frames as NOTIFY payloads, in order: runs of frames that fit in PACK_BYTES as one packed payload
   * (`[frame,frame,…]`), a frame too big for one payload alone in chunks.
   */
  private payloads(frames: readonly string[]): string[] {
    const out: string[] = [];
    let pack: string[] = [];
    let bytes = 2;
    const seal = () => {
      if (pack.length > 0) out.push(`${this.nextId()}|0|1|[${pack.join(",")}]`);
      pack = [];
      bytes = 2;
    };
    for (const json of frames) {
      const size = Buffer.byteLength(json) + 1;
      if (size + 2 > PACK_BYTES) {
        seal();
        out.push(...this.encode(json));
        continue;
      }
      if (bytes + size > PACK_BYTES) seal();
      pack.push(json);
      bytes += size;
    }
    seal();
    return out;
  }

  /** `node|message`: who sent a payload, and which of its messages it is part of. */
  private nextId(): string {
    return `${this.nodeId}|${(++this.seq).toString(36)}`;
  }

  /** `node|message|index|count|text` pieces. */
  private encode(json: string): string[] {
    const id = this.nextId();
    const pieces: string[] = [];
    for (let at = 0; at < json.length || pieces.length === 0; ) {
      let end = Math.min(json.length, at + CHUNK_CHARS);
      // Never split a surrogate pair: half a character is not valid text for PostgreSQL.
      const last = json.charCodeAt(end - 1);
      if (end < json.length && last >= 0xd800 && last <= 0xdbff) end--;
      pieces.push(json.slice(at, end));
      at = end;
    }
    return pieces.map((piece, i) => `${id}|${i}|${pieces.length}|${piece}`);
  }

  private received(payload: string): void {
    const [node, msg, index, count] = payload.split("|", 4);
    if (node === this.nodeId || !node || !msg) return;
    const header = `${node}|${msg}|${index}|${count}|`;
    const text = payload.slice(header.length);
    const n = Number(count);
    let json = text;
    if (n > 1) {
      const key = `${node}|${msg}`;
      const partial = this.partials.get(key) ?? { parts: new Array<string | undefined>(n), got: 0, at: Date.now() };
      if (partial.parts[Number(index)] === undefined) partial.got++;
      partial.parts[Number(index)] = text;
      this.partials.set(key, partial);
      if (partial.got < n) {
        this.dropStale();
        return;
      }
      this.partials.delete(key);
      json = partial.parts.join("");
    }
    try {
      const parsed = JSON.parse(json) as Shared | Shared[];
      for (const { p, f } of Array.isArray(parsed) ? parsed : [parsed]) this.deliver(this.listeners, f, p);
    } catch (err) {
      this.logger.warn({ err }, "dropped an unreadable frame from another process");
    }
  }

  private dropStale(): void {
    const old = Date.now() - 30_000;
    for (const [key, p] of this.partials) if (p.at < old) this.partials.delete(key);
  }

  /** A dedicated session for LISTEN; re-established after a connection loss (frames in the gap are lost). */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", (m) => {
      if (m.channel === FRAME_CHANNEL && m.payload) this.received(m.payload);
    });
    client.on("error", (err) => {
      this.logger.warn({ err }, "frame listener connection lost; reconnecting");
      this.listener = null;
      client.end().catch(() => undefined);
      const retry = () => {
        if (this.closed) return;
        this.listen().catch(() => setTimeout(retry, 1000).unref());
      };
      setTimeout(retry, 500).unref();
    });
    await client.connect();
    await client.query(`listen ${FRAME_CHANNEL}`);
    this.listener = client;
  }
}
