import type { FastifyInstance } from "fastify";
import { clientOf } from "./rate-limits.js";

const HOUR_MS = 3_600_000;

/**
 * Seed 003's budgets per principal: every one of its routes in `scope` together `perHour` (its "1000
 * requests per hour per API key"), its webhook receivers together `webhooksPerHour` (10000). One counter
 * per principal and budget, whichever route of the scope is called; `0` switches a budget off.
 */
export function limitOnCallRoutes(scope: FastifyInstance, perHour: number, kind: "api" | "webhooks" = "api"): void {
  if (perHour <= 0) return;
  scope.addHook(
    "onRequest",
    scope.rateLimit({ max: perHour, timeWindow: HOUR_MS, keyGenerator: (req) => `${clientOf(req)}:oncall-${kind}` }),
  );
}
