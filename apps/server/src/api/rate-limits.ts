import { createHash } from "node:crypto";
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

const HOUR_MS = 3_600_000;
/** An alert source's intake URL: the token in it is the source (alert-source-routes.ts). */
const INTAKE = /^\/api\/v1\/alert-sources\/([a-z]+)\/([^/?]+)$/;

/**
 * The source a webhook delivery counts against: an intake URL's token (each token is one configured
 * source of one project; kept hashed), else the key the caller authenticated with (`POST /webhook/pagerduty`).
 * The address is never the source: one Alertmanager behind a NAT shares it with every other sender.
 */
export function webhookSourceOf(req: FastifyRequest): string {
  const m = INTAKE.exec(req.url.split("?")[0] ?? "");
  if (m?.[1] && m[2]) return `intake:${m[1]}:${createHash("sha256").update(m[2]).digest("base64url").slice(0, 22)}`;
  return clientOf(req);
}

/** Whether a request delivers to an alert source's intake URL (the only POSTs under `/api/v1/alert-sources/<source>/`). */
export const isWebhookIntake = (req: FastifyRequest): boolean =>
  req.method === "POST" && INTAKE.test(req.url.split("?")[0] ?? "");

/**
 * Seed 003's "Webhooks: 10000 requests per hour", per source (`webhookSourceOf`): the routes of `scope`
 * that `applies` picks share one hourly counter per source; `0` switches it off. Exceeding it is the
 * route's seed envelope with 429 and `Retry-After`.
 */
export function limitWebhookSources(
  scope: FastifyInstance,
  perHour: number,
  applies: (req: FastifyRequest) => boolean = () => true,
): void {
  if (perHour <= 0) return;
  const limit = scope.rateLimit({
    max: perHour,
    timeWindow: HOUR_MS,
    keyGenerator: (req) => `${webhookSourceOf(req)}:webhooks`,
  });
  scope.addHook("onRequest", async (req, reply) => {
    if (applies(req)) await limit.call(scope, req, reply);
  });
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
