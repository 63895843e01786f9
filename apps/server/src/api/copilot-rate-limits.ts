const HOUR_MS = 3_600_000;

/** A route's `config.rateLimit`: its own budget, or (with `groupId`) one shared with the group's routes. */
export type RouteRateLimit = { max: number; timeWindow: number; groupId?: string } | false;

/** Seed 001 budgets per principal and hour: analyze 100, every other seed 001 route together 500. */
export interface CopilotRateLimits {
  analyze: RouteRateLimit;
  other: RouteRateLimit;
}

/** From the configured figures (`0` switches a budget off). */
export function copilotRateLimits(analyzePerHour: number, otherPerHour: number): CopilotRateLimits {
  return {
    analyze: analyzePerHour > 0 ? { max: analyzePerHour, timeWindow: HOUR_MS } : false,
    // One budget across tickets, webhooks and health, as the seed counts "other endpoints" together.
    other: otherPerHour > 0 ? { max: otherPerHour, timeWindow: HOUR_MS, groupId: "copilot" } : false,
  };
}
