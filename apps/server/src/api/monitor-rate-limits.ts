import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { RateLimitError } from "../shared/errors.js";
import { presentedKey } from "./auth.js";

/** A per-minute budget; `null` when limits are switched off. */
export type PerMinute = number | null;

/** Seed 004 rate limits: feed 60/min; predictions, alerts, explain, historical 30/min; admin POSTs 10/min. */
export interface MonitorRateLimits {
  feed: PerMinute;
  read: PerMinute;
  admin: PerMinute;
}

export function monitorRateLimits(enabled: boolean): MonitorRateLimits {
  return enabled ? { feed: 60, read: 30, admin: 10 } : { feed: null, read: null, admin: null };
}

/** Route `config.rateLimit` for a budget (absent: the route is not limited). */
export function rateLimitOf(perMinute: PerMinute): { max: number; timeWindow: number } | false {
  return perMinute === null ? false : { max: perMinute, timeWindow: 60_000 };
}

/**
 * Install the limiter for routes that ask for one. Budgets are per client: the API key it presents
 * (so one noisy integration cannot starve another behind the same proxy), else its address.
 * Exceeding one is a typed 429 with the seed's `detail` sentence and a `Retry-After` header.
 */
export async function installRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (req) => presentedKey(req) ?? req.ip,
    errorResponseBuilder: (_req, ctx) => {
      const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new RateLimitError(`Rate limit exceeded. Try again in ${seconds} seconds.`, seconds);
    },
  });
}
