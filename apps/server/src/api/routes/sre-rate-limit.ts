import type { FastifyRequest } from "fastify";
import { seedOf } from "../seed-envelope.js";

/** A route's `config.rateLimit` for seed 002's budget; `allowList` leaves out requests it does not count. */
type SreRateLimit =
  | { max: number; timeWindow: number; groupId: string; allowList?: (req: FastifyRequest) => boolean }
  | false;

/** Seed 002's clients are its signed-in users; API keys (the SDK, the CLI, other seeds) are not counted. */
const notAUser = (req: FastifyRequest): boolean => req.principal?.kind !== "user";

/**
 * Seed 002 documents `X-RateLimit-Limit`, `-Remaining` and `-Reset` (seconds left) and a 429: one
 * budget per user and minute shared by all its routes (`AEGIS_SRE_PER_MINUTE`, `0`: off).
 */
export function sreRateLimit(perMinute: number): SreRateLimit {
  return perMinute > 0 ? { max: perMinute, timeWindow: 60_000, groupId: "sre", allowList: notAUser } : false;
}

/** The same budget on a path several seeds share: only a user's requests that speak seed 002 count. */
export function sreRateLimitShared(perMinute: number): SreRateLimit {
  const limit = sreRateLimit(perMinute);
  return limit && { ...limit, allowList: (req: FastifyRequest) => notAUser(req) || seedOf(req) !== "002" };
}
