/** Requests answered in the last minute: counts by class and latency percentiles, in memory. */
export class RequestStats {
  private readonly at: number[] = [];
  private readonly status: number[] = [];
  private readonly latency: number[] = [];
  total = 0;

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(status: number, latencyMs: number): void {
    this.total += 1;
    this.at.push(this.now());
    this.status.push(status);
    this.latency.push(latencyMs);
    this.expire();
  }

  snapshot(): {
    window_seconds: number;
    requests: number;
    per_second: number;
    client_errors: number;
    server_errors: number;
    latency_ms: { p50: number | null; p95: number | null; p99: number | null };
    total_since_start: number;
  } {
    this.expire();
    const sorted = [...this.latency].sort((a, b) => a - b);
    const pct = (p: number) =>
      sorted.length === 0
        ? null
        : Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number) * 100) / 100;
    return {
      window_seconds: this.windowMs / 1000,
      requests: this.at.length,
      per_second: Math.round((this.at.length / (this.windowMs / 1000)) * 100) / 100,
      client_errors: this.status.filter((s) => s >= 400 && s < 500).length,
      server_errors: this.status.filter((s) => s >= 500).length,
      latency_ms: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
      total_since_start: this.total,
    };
  }

  private expire(): void {
    const since = this.now() - this.windowMs;
    let drop = 0;
    while (drop < this.at.length && (this.at[drop] as number) < since) drop++;
    // Bounded even under a flood: at most 100k requests a minute are kept.
    drop = Math.max(drop, this.at.length - 100_000);
    if (drop > 0) {
      this.at.splice(0, drop);
      this.status.splice(0, drop);
      this.latency.splice(0, drop);
    }
  }
}
