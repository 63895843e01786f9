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
