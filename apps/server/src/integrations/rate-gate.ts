/**
 * Spaces calls per key: each `wait(key, gapMs)` resolves no sooner than `gapMs` after the previous one
 * for that key was let through, in arrival order (a vendor's per-channel rate limit, kept on our side).
 */
export class RateGate {
  private readonly next = new Map<string, number>();

  async wait(key: string, gapMs: number, now = Date.now()): Promise<void> {
    if (gapMs <= 0) return;
    const at = Math.max(now, this.next.get(key) ?? 0);
    this.next.set(key, at + gapMs);
    if (at > now) await new Promise((ok) => setTimeout(ok, at - now));
  }
}
