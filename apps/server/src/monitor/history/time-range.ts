import type { TimeRange } from "@aegis/contracts";

const MINUTE = 60_000;

/** Length of each seed 004 `time_range` (`1M` is 30 days). */
export const TIME_RANGE_MS: Record<TimeRange, number> = {
  "30m": 30 * MINUTE,
  "1h": 60 * MINUTE,
  "8h": 8 * 60 * MINUTE,
  "1d": 24 * 60 * MINUTE,
  "1w": 7 * 24 * 60 * MINUTE,
  "1M": 30 * 24 * 60 * MINUTE,
};

/** The window `[now − range, now]`. `now` is data time: replayed or simulated data is not on the wall clock. */
export function rangeBounds(range: TimeRange, now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - TIME_RANGE_MS[range]), to: now };
}

/**
 * Epoch milliseconds of a data timestamp. Seed 004 records may carry no offset
 * ("2025-01-15T10:00:00"); those are UTC here, never the server's local time zone.
 */
export function dataTimeMs(timestamp: string): number {
  const hasZone = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/.test(timestamp);
  const ms = Date.parse(hasZone ? timestamp : `${timestamp}Z`);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${timestamp}`);
  return ms;
}
