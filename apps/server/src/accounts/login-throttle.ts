/**
 * Failed-login counters per account and per client IP, in memory (per server process). An account is
 * held after `perAccount` failures in the window (guessing one password), an IP after `perIp` (spraying
 * many accounts). A success clears the account's counter, not the IP's.
 */
export interface ThrottleLimits {
  perAccount: number;
  perIp: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perAccount: 5, perIp: 20, windowMs: 15 * 60_000 };

/** Above this many tracked keys, a failure sweeps out the expired ones (a spray of random emails stays bounded). */
const SWEEP_ABOVE = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before trying again, or 0 when a login attempt may proceed. */
  retryAfter(email: string, ip: string): number {
    return Math.max(this.wait(`a:${email}`, this.limits.perAccount), this.wait(`i:${ip}`, this.limits.perIp));
  }

  failed(email: string, ip: string): void {
    if (this.failures.size > SWEEP_ABOVE) for (const key of [...this.failures.keys()]) this.recent(key);
    for (const key of [`a:${email}`, `i:${ip}`]) this.failures.set(key, [...this.recent(key), this.now()]);
  }

  succeeded(email: string): void {
    this.failures.delete(`a:${email}`);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(key);
    return kept;
  }

  private wait(key: string, limit: number): number {
    const times = this.recent(key);
    if (times.length < limit) return 0;
    // The window opens again when the oldest failure that keeps the count at the limit expires.
    const oldest = times[times.length - limit] as number;
    return Math.max(1, Math.ceil((oldest + this.limits.windowMs - this.now()) / 1000));
  }
}
