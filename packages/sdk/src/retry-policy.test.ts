import { describe, expect, it } from "vitest";
import { backoffMs, DEFAULT_RETRY, nextDelay, parseRetryAfter } from "./retry-policy.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-12-20T00:00:00Z");
  it("reads delta-seconds and HTTP dates; a past date is 0; garbage is undefined", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Sat, 20 Dec 2025 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Fri, 19 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("nextDelay", () => {
  const p = { ...DEFAULT_RETRY, maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
  it("retries 429 and 503 only, within the attempts, preferring Retry-After", () => {
    expect(nextDelay(p, 1, "POST", 429, 2000)).toBe(2000);
    expect(nextDelay(p, 1, "POST", 503, undefined, () => 1)).toBe(100);
    expect(nextDelay(p, 2, "GET", 503, undefined, () => 1)).toBe(200);
    expect(nextDelay(p, 3, "GET", 503, 10)).toBeUndefined();
    expect(nextDelay(p, 1, "GET", 500, 10)).toBeUndefined();
    expect(nextDelay(p, 1, "GET", 429, 6000)).toBeUndefined();
  });
  it("retries network errors of idempotent methods only", () => {
    expect(nextDelay(p, 1, "GET", undefined, undefined, () => 0.5)).toBe(50);
    expect(nextDelay(p, 1, "delete", undefined, undefined, () => 0.5)).toBe(50);
    expect(nextDelay(p, 1, "POST", undefined, undefined)).toBeUndefined();
    expect(nextDelay(p, 1, "PATCH", undefined, undefined)).toBeUndefined();
  });
  it("caps the exponential backoff", () => {
    expect(backoffMs(10, p, () => 1)).toBe(1000);
    expect(backoffMs(10, p, () => 0)).toBe(0);
  });
});
