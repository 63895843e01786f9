/**
 * Data-time helpers. The engine never looks at the wall clock: every time it reports is derived
 * from record timestamps. Seed timestamps carry no offset ("2025-01-15T10:00:00"); they are read as
 * UTC so hour-of-day seasonality does not depend on the host's time zone, and echoed back in the
 * same offset-less style.
 */

const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Milliseconds of an ISO timestamp; offset-less timestamps are taken as UTC. NaN if unparseable. */
export function parseDataTime(timestamp: string): number {
  return Date.parse(HAS_OFFSET.test(timestamp) ? timestamp : `${timestamp}Z`);
}

/** Whether a timestamp is written without an offset (the seed's style). */
export function isOffsetLess(timestamp: string): boolean {
  return !HAS_OFFSET.test(timestamp);
}

/** Formats data time in the style the records used: "2025-01-15T10:05:00" or "2025-01-15T10:05:00Z". */
export function formatDataTime(ms: number, offsetLess: boolean): string {
  const iso = new Date(ms).toISOString();
  return offsetLess ? iso.slice(0, 19) : `${iso.slice(0, 19)}Z`;
}

/** Hour-of-day slot (0..23) of a data time: the index of the daily seasonal profiles. */
export function hourSlot(ms: number): number {
  return Math.floor(ms / 3_600_000) % 24;
}
