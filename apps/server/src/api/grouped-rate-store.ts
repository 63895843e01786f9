import type { FastifyRateLimitStore } from "@fastify/rate-limit";

type Window = { count: number; startedMs: number };

/** Windows kept before expired ones are swept (principals are few; this bounds a flood of keys). */
const SWEEP_AT = 10_000;

/**
 * Fixed-window counters for `@fastify/rate-limit`. Its own store gives every route separate counters;
 * this one gives routes that declare the same `groupId` ONE counter per client, so a budget such as
 * seed 001's "500 requests/hour on the other endpoints" is shared, while other routes stay separate.
 */
export class GroupedRateStore implements FastifyRateLimitStore {
  private readonly windows = new Map<string, Window>();

  constructor(
    _params?: unknown,
    private readonly groups = new Map<string, GroupedRateStore>(),
  ) {}

  incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow: number): void {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.startedMs + timeWindow <= now) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now, timeWindow);
      w = { count: 0, startedMs: now };
      this.windows.set(key, w);
    }
    w.count += 1;
    cb(null, { current: w.count, ttl: w.startedMs + timeWindow - now });
  }

  child(routeOptions: Parameters<FastifyRateLimitStore["child"]>[0]): FastifyRateLimitStore {
    // Typed as route options, but at run time the plugin passes the route's merged limit settings.
    const id = (routeOptions as { groupId?: string }).groupId;
    if (!id) return new GroupedRateStore(undefined, this.groups);
    let shared = this.groups.get(id);
    if (!shared) {
      shared = new GroupedRateStore(undefined, this.groups);
      this.groups.set(id, shared);
    }
    return shared;
  }

  private sweep(now: number, timeWindow: number): void {
    for (const [k, w] of this.windows) if (w.startedMs + timeWindow <= now) this.windows.delete(k);
  }
}
