import type { FastifyRequest } from "fastify";

/** WebSocket close code for a refused connection: 1008, policy violation (RFC 6455 §7.4.1). */
export const WS_CLOSE_TOO_MANY = 1008;

/** Frees one slot; calling it again does nothing. */
export type Release = () => void;

/**
 * Seed 003: "WebSocket connections: 10 concurrent connections per API key". The one owner of that count:
 * every WebSocket (`/ws`, `/api/v1/monitoring/ws/metrics`) and Server-Sent Event stream takes a slot of
 * its holder before it starts and gives it back when it closes. A holder is the principal (every key and
 * session of one user count together, as for rate limits); a connection not yet authenticated (seed
 * 002's `/ws` before its `connect` message) holds a slot of its address.
 */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  /** A slot of `holder`, or null when it already holds `max`. */
  acquire(holder: string): Release | null {
    const n = this.open.get(holder) ?? 0;
    if (n >= this.max) return null;
    this.open.set(holder, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(holder) ?? 1) - 1;
      if (left > 0) this.open.set(holder, left);
      else this.open.delete(holder);
    };
  }

  /** Connections `holder` has open. */
  count(holder: string): number {
    return this.open.get(holder) ?? 0;
  }

  /** The refusal text a WebSocket close frame carries (at most 123 bytes) and an SSE 429 names. */
  get reason(): string {
    return `too many connections: at most ${this.max} concurrent streams per API key`;
  }
}

/** The holder a request's streams count against: its principal, else its address. */
export function streamHolderOf(req: FastifyRequest): string {
  return req.principal ? `${req.principal.kind}:${req.principal.id}` : `ip:${req.ip}`;
}

/** The holder of an identity established after the upgrade (seed 002's `connect` message). */
export function principalHolder(p: { kind: string; id: string }): string {
  return `${p.kind}:${p.id}`;
}
