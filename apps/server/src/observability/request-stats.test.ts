import { describe, expect, it } from "vitest";
import { RequestStats } from "./request-stats.js";

describe("RequestStats", () => {
  it("counts the last minute by class, with latency percentiles, and forgets older seconds", () => {
    let now = 1_000_000;
    const stats = new RequestStats(60, () => now);
    for (let i = 1; i <= 100; i++) stats.record(i <= 90 ? 200 : i <= 97 ? 404 : 503, i);
    const s = stats.snapshot();
    expect(s).toMatchObject({ requests: 100, client_errors: 7, server_errors: 3, total_since_start: 100 });
    expect(s.latency_ms).toEqual({ p50: 51, p95: 96, p99: 100 });
    now += 30_000;
    stats.record(200, 5);
    expect(stats.snapshot().requests).toBe(101);
    now += 31_000;
    const later = stats.snapshot();
    expect(later).toMatchObject({ requests: 1, client_errors: 0, total_since_start: 101 });
    expect(later.latency_ms.p50).toBe(5);
  });

  it("keeps a bounded sample in a busy second", () => {
    const stats = new RequestStats(60, () => 5_000);
    for (let i = 0; i < 50_000; i++) stats.record(200, i % 100);
    const s = stats.snapshot();
    expect(s.requests).toBe(50_000);
    expect(s.latency_ms.p50).toBeGreaterThan(35);
    expect(s.latency_ms.p50).toBeLessThan(65);
  });
});
