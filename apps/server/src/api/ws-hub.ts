import { type FramePayload, wsFrame } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import type { EventBus } from "../ports/event-bus.js";
import type { Identity } from "../ports/identity.js";
import type { Logger } from "../shared/logger.js";

/** A client that cannot keep up is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

function heartbeat(status: FramePayload<"heartbeat">["status"]): string {
  return JSON.stringify(wsFrame("heartbeat", null, { status }));
}

/** `WS /ws`: every bus frame to every client, in the seed's envelope; `ping` → heartbeat. */
export class WsHub {
  private readonly clients = new Set<WebSocket>();
  private readonly upgrades = new Set<import("node:stream").Duplex>();
  /** Who each client connected as: the seam for per-project frame delivery once frames carry a project. */
  private readonly identities = new WeakMap<WebSocket, Identity>();

  constructor(
    bus: EventBus,
    private readonly logger: Logger,
  ) {
    bus.subscribe((f) => {
      if (this.clients.size === 0) return;
      const text = JSON.stringify(f);
      for (const ws of this.clients) this.send(ws, text);
    });
  }

  get size(): number {
    return this.clients.size;
  }

  register(app: FastifyInstance): void {
    app.get("/ws", { websocket: true, schema: { hide: true } }, (socket, req) => {
      this.clients.add(socket);
      if (req.principal && req.projectId)
        this.identities.set(socket, { principal: req.principal, projectId: req.projectId });
      this.send(socket, heartbeat("connected"));
      socket.on("message", (raw, isBinary) => {
        const text = isBinary ? "" : raw.toString().trim();
        if (text === "ping" || text === '"ping"' || /^\{\s*"type"\s*:\s*"ping"/.test(text)) {
          this.send(socket, heartbeat("alive"));
        }
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
    for (const ws of this.clients) {
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
