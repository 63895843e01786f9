interface Bucket {
  second: number;
  requests: number;
  clientErrors: number;
  serverErrors: number;
  /** A uniform sample of the second's latencies (reservoir), for percentiles. */
  latencies: number[];
  seen: number;
}

/** Latencies kept per second; beyond it, reservoir sampling keeps the sample uniform. */
const SAMPLE_PER_SECOND = 1000;

/**
 * Requests answered in the last minute: counts by class and latency percentiles, in per-second buckets,
 * so recording is O(1) however busy the server is.
 */
export class RequestStats {
  private readonly buckets: Bucket[] = [];
  total = 0;

  constructor(
    private readonly windowSeconds = 60,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  record(status: number, latencyMs: number): void {
    this.total += 1;
    const second = Math.floor(this.now() / 1000);
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.second !== second) {
      b = { second, requests: 0, clientErrors: 0, serverErrors: 0, latencies: [], seen: 0 };
      this.buckets.push(b);
      this.expire(second);
    }
    b.requests += 1;
    if (status >= 500) b.serverErrors += 1;
    else if (status >= 400) b.clientErrors += 1;
    b.seen += 1;
    if (b.latencies.length < SAMPLE_PER_SECOND) b.latencies.push(latencyMs);
    else {
      const j = Math.floor(this.random() * b.seen);
      if (j < SAMPLE_PER_SECOND) b.latencies[j] = latencyMs;
    }
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
    this.expire(Math.floor(this.now() / 1000));
    let requests = 0;
    let clientErrors = 0;
    let serverErrors = 0;
    // Each second's sample stands for all its requests: weighted percentiles over (latency, weight).
    const sample: [number, number][] = [];
    for (const b of this.buckets) {
      requests += b.requests;
      clientErrors += b.clientErrors;
      serverErrors += b.serverErrors;
      const weight = b.seen / Math.max(1, b.latencies.length);
      for (const l of b.latencies) sample.push([l, weight]);
    }
    sample.sort((a, b) => a[0] - b[0]);
    const totalWeight = sample.reduce((n, [, w]) => n + w, 0);
    const pct = (p: number): number | null => {
      if (sample.length === 0) return null;
      let acc = 0;
      for (const [l, w] of sample) {
        acc += w;
        if (acc > p * totalWeight) return Math.round(l * 100) / 100;
      }
      return Math.round((sample[sample.length - 1] as [number, number])[0] * 100) / 100;
    };
    return {
      window_seconds: this.windowSeconds,
      requests,
      per_second: Math.round((requests / this.windowSeconds) * 100) / 100,
      client_errors: clientErrors,
      server_errors: serverErrors,
      latency_ms: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
      total_since_start: this.total,
    };
  }

  private expire(second: number): void {
    const oldest = second - this.windowSeconds + 1;
    let drop = 0;
    while (drop < this.buckets.length && (this.buckets[drop] as Bucket).second < oldest) drop++;
    if (drop > 0) this.buckets.splice(0, drop);
  }
}
