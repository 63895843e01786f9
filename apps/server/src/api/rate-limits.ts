import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { RateLimitError } from "../shared/errors.js";
import { presentedKey } from "./auth.js";
import { GroupedRateStore } from "./grouped-rate-store.js";
import { seedOf } from "./seed-envelope.js";

/**
 * Budgets are per principal (every key and every session of one user count together), falling back
 * to the presented key, then the address, for a request the auth hook has not identified.
 */
export function clientOf(req: FastifyRequest): string {
  if (req.principal) return `${req.principal.kind}:${req.principal.id}`;
  return presentedKey(req) ?? req.ip;
}

/** "1 hour", "1 minute", or seconds: how a seed names a window. */
function windowName(ms: number): string {
  if (ms === 3_600_000) return "hour";
  if (ms === 60_000) return "minute";
  return `${Math.round(ms / 1000)} seconds`;
}

/**
 * Install the limiter for routes that ask for one (`config.rateLimit`). Every limited response carries
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`; exceeding one is a typed 429
 * that the error handler writes in the route's seed envelope with `retry_after`, plus `Retry-After`.
 * Seed 001 documents the reset as a unix time; the others as seconds left (the plugin's default).
 */
export async function installRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    store: GroupedRateStore,
    keyGenerator: clientOf,
    errorResponseBuilder: (req, ctx) => {
      const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      const rl = req.routeOptions.config?.rateLimit;
      const window = typeof rl === "object" && typeof rl.timeWindow === "number" ? rl.timeWindow : 60_000;
      const message =
        seedOf(req) === "001"
          ? `Rate limit of ${ctx.max} requests/${windowName(window)} exceeded`
          : `Rate limit exceeded. Try again in ${seconds} seconds.`;
      return new RateLimitError(message, seconds);
    },
  });
  app.addHook("onSend", async (req, reply) => {
    const reset = reply.getHeader("x-ratelimit-reset");
    if (reset !== undefined && seedOf(req) === "001") {
      reply.header("x-ratelimit-reset", Math.floor(Date.now() / 1000) + Number(reset));
    }
  });
}
