/** When and how long a client waits before sending a request again. */
export interface RetryOptions {
  /** Attempts in all, the first included (1 = never retry). */
  maxAttempts?: number;
  /** The first backoff; each later one doubles, with full jitter. */
  baseDelayMs?: number;
  /** No computed backoff waits longer than this. */
  maxDelayMs?: number;
  /**
   * A `Retry-After` longer than this is not waited for: the error is thrown at once, carrying
   * `retryAfter` (seed 001's hourly budget answers `retry_after: 1800`; no call should block half an hour).
   */
  maxRetryAfterMs?: number;
  /** Statuses sent again (default 429 and 503: the server did not act on the request). */
  statuses?: readonly number[];
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  statuses: [429, 503],
};

/** Methods that may be sent again after a network error: the first may have reached the server. */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

export function retryPolicy(options: RetryOptions | undefined, defaults: RetryPolicy = DEFAULT_RETRY): RetryPolicy {
  const p = { ...defaults, ...options };
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer >= 1, got ${p.maxAttempts}`);
  }
  for (const k of ["baseDelayMs", "maxDelayMs", "maxRetryAfterMs"] as const) {
    if (!(p[k] >= 0)) throw new RangeError(`retry.${k} must be >= 0, got ${p[k]}`);
  }
  return p;
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or
 * unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Every HTTP date form (IMF-fixdate, RFC 850, asctime) starts with the day's name.
  if (!/^[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The backoff before attempt `attempt + 1` (attempt counts from 1): full jitter over an exponential cap. */
export function backoffMs(attempt: number, p: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap * random());
}

/**
 * How long to wait before sending again after `attempt` answered `status` (or failed on the network when
 * `status` is undefined); undefined means do not retry.
 */
export function nextDelay(
  p: RetryPolicy,
  attempt: number,
  method: string,
  status: number | undefined,
  retryAfterMs: number | undefined,
  random?: () => number,
): number | undefined {
  if (attempt >= p.maxAttempts) return undefined;
  if (status === undefined) return isIdempotent(method) ? backoffMs(attempt, p, random) : undefined;
  if (!p.statuses.includes(status)) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs <= p.maxRetryAfterMs ? retryAfterMs : undefined;
  return backoffMs(attempt, p, random);
}
