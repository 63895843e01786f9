import {
  ADDED_FRAME_TYPES,
  type FramePayload,
  WS_CLOSE_UNAUTHORIZED,
  WS_EVENT_CHANNEL,
  type WsChannel,
  WsClientMessage,
  type WsControlMessage,
  type WsEvent,
  type WsFrame,
  wsFrame,
} from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import { frameOnSeed000Wire } from "../engine/seed000-wire.js";
import type { EventBus } from "../ports/event-bus.js";
import type { Authenticator, Identity } from "../ports/identity.js";
import type { Logger } from "../shared/logger.js";
import {
  type ConnectionLimiter,
  principalHolder,
  type Release,
  streamHolderOf,
  WS_CLOSE_TOO_MANY,
} from "./connection-limiter.js";
import { wsEventOf } from "./ws-event-of.js";

/** A client that cannot keep up is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** A seed-002 client that has not authenticated by then is closed. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One connection. Seed-000 clients authenticate on the upgrade (header or `?token=`) and get every frame
 * of their project of the seed's types (all types with `?frames=all`); seed-002 clients authenticate with a `connect` message and get the events of their
 * project on the channels they subscribed to.
 */
type Client =
  | { protocol: "frames"; identity: Identity; allFrames: boolean }
  | { protocol: "events"; identity: Identity | null; channels: Set<WsChannel> };

function heartbeat(status: FramePayload<"heartbeat">["status"]): string {
  return JSON.stringify(wsFrame("heartbeat", null, { status }));
}

type Control = WsControlMessage extends infer M ? (M extends WsControlMessage ? Omit<M, "timestamp"> : never) : never;
const control = (m: Control) => JSON.stringify({ ...m, timestamp: new Date().toISOString() });

const isPing = (text: string) => text === "ping" || text === '"ping"' || /^\{\s*"type"\s*:\s*"ping"/.test(text);

/**
 * `WS /ws`: bus frames, each only to connections of the frame's project (tenant isolation), in seed
 * 000's envelope or as seed 002's events; `ping` → heartbeat. Every connection holds a slot of the
 * shared concurrent-stream budget (ADR 0021): its principal's, or — for a seed-002 client before its
 * `connect` message — its address's, exchanged for its principal's when it authenticates.
 */
export class WsHub {
  private readonly clients = new Map<WebSocket, Client>();
  private readonly upgrades = new Set<import("node:stream").Duplex>();
  /** The stream slot each connection holds. */
  private readonly slots = new Map<WebSocket, Release>();

  constructor(
    bus: EventBus,
    private readonly authenticator: Authenticator,
    private readonly logger: Logger,
    private readonly streams: ConnectionLimiter,
  ) {
    bus.subscribe((frame, projectId) => this.deliver(frame, projectId));
  }

  get size(): number {
    return this.clients.size;
  }

  register(app: FastifyInstance): void {
    app.get("/ws", { websocket: true, schema: { hide: true } }, (socket, req) => {
      const slot = this.streams.acquire(streamHolderOf(req));
      if (!slot) {
        socket.close(WS_CLOSE_TOO_MANY, this.streams.reason);
        return;
      }
      this.slots.set(socket, slot);
      socket.once("close", () => this.releaseSlot(socket));
      if (req.principal && req.projectId) {
        this.clients.set(socket, {
          protocol: "frames",
          identity: { principal: req.principal, projectId: req.projectId },
          allFrames: (req.query as { frames?: unknown } | undefined)?.frames === "all",
        });
        this.send(socket, heartbeat("connected"));
      } else {
        this.clients.set(socket, { protocol: "events", identity: null, channels: new Set() });
        const timer = setTimeout(
          () => this.refuse(socket, "connect_timeout", "send a connect message"),
          CONNECT_TIMEOUT_MS,
        );
        timer.unref();
        socket.once("close", () => clearTimeout(timer));
      }
      // Messages are handled in order: a `subscribe` sent right after `connect` waits for its authentication.
      let handled: Promise<void> = Promise.resolve();
      socket.on("message", (raw, isBinary) => {
        const text = isBinary ? "" : raw.toString().trim();
        handled = handled
          .then(() => (isPing(text) ? this.send(socket, heartbeat("alive")) : this.onMessage(socket, text)))
          .catch((err: unknown) => this.logger.warn({ err }, "websocket message failed"));
      });
      socket.on("close", () => this.clients.delete(socket));
      socket.on("error", (err) => {
        this.logger.warn({ err }, "websocket error");
        this.clients.delete(socket);
      });
    });
  }

  /** Shutdown: say goodbye, then cut every socket (a close handshake can wait forever on a dead peer). */
  closeAll(): void {
    for (const ws of this.clients.keys()) {
      ws.close(1001, "server shutting down");
      setTimeout(() => ws.terminate(), 200).unref();
    }
    this.clients.clear();
    for (const s of this.upgrades) s.destroy();
    this.upgrades.clear();
  }

  /** Upgrade requests leave the HTTP server's connection tracking; keep them to end them on shutdown. */
  trackUpgrades(server: import("node:http").Server): void {
    server.on("upgrade", (_req, socket: import("node:stream").Duplex) => {
      this.upgrades.add(socket);
      socket.once("close", () => this.upgrades.delete(socket));
    });
  }

  /** A seed-002 event to the subscribed seed-002 clients of `projectId`. */
  sendEvent(projectId: string, event: WsEvent): void {
    const text = JSON.stringify(event);
    const channel = WS_EVENT_CHANNEL[event.type];
    for (const [ws, c] of this.clients) {
      if (c.protocol === "events" && c.identity?.projectId === projectId && c.channels.has(channel))
        this.send(ws, text);
    }
  }

  /** A frame to the seed-000 clients of its project, and as a seed-002 event to that project's subscribers. */
  private deliver(frame: WsFrame, projectId: string): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify(frameOnSeed000Wire(frame));
    const added = ADDED_FRAME_TYPES.has(frame.type);
    for (const [ws, c] of this.clients) {
      if (c.protocol === "frames" && c.identity.projectId === projectId && (c.allFrames || !added)) this.send(ws, text);
    }
    const event = wsEventOf(frame);
    if (event) this.sendEvent(projectId, event);
  }

  /** Seed 002's messages; a seed-000 client only pings, and anything else it sends is ignored. */
  private async onMessage(ws: WebSocket, text: string): Promise<void> {
    const client = this.clients.get(ws);
    if (client?.protocol !== "events") return;
    let parsed: ReturnType<typeof WsClientMessage.safeParse>;
    try {
      parsed = WsClientMessage.safeParse(JSON.parse(text));
    } catch {
      this.send(ws, control({ type: "error", code: "invalid_message", message: "messages are JSON" }));
      return;
    }
    if (!parsed.success) {
      this.send(
        ws,
        control({ type: "error", code: "invalid_message", message: parsed.error.issues[0]?.message ?? "" }),
      );
      return;
    }
    const m = parsed.data;
    if (m.type === "connect") {
      const identity = await this.authenticator.authenticate(m.token);
      if (!identity) return this.refuse(ws, "unauthorized", "invalid token");
      if (!client.identity && !this.moveSlot(ws, principalHolder(identity.principal))) {
        this.send(ws, control({ type: "error", code: "too_many_connections", message: this.streams.reason }));
        ws.close(WS_CLOSE_TOO_MANY, this.streams.reason);
        this.clients.delete(ws);
        return;
      }
      client.identity = identity;
      this.send(ws, control({ type: "connected", project_id: identity.projectId, principal: identity.principal.id }));
      return;
    }
    if (!client.identity) return this.refuse(ws, "unauthorized", "send a connect message first");
    for (const ch of m.channels) {
      if (m.type === "subscribe") client.channels.add(ch);
      else client.channels.delete(ch);
    }
    this.send(ws, control({ type: "subscribed", channels: [...client.channels] }));
  }

  /** Trade the connection's address slot for one of its principal; false when the principal has none left. */
  private moveSlot(ws: WebSocket, holder: string): boolean {
    const slot = this.streams.acquire(holder);
    if (!slot) return false;
    this.releaseSlot(ws);
    this.slots.set(ws, slot);
    return true;
  }

  private releaseSlot(ws: WebSocket): void {
    this.slots.get(ws)?.();
    this.slots.delete(ws);
  }

  private refuse(ws: WebSocket, code: string, message: string): void {
    this.send(ws, control({ type: "error", code, message }));
    ws.close(WS_CLOSE_UNAUTHORIZED, code);
    this.clients.delete(ws);
  }

  private send(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn({ buffered: ws.bufferedAmount }, "closing a websocket client that is not reading");
      ws.close(1013, "client too slow");
      this.clients.delete(ws);
      return;
    }
    ws.send(text);
  }
}
