/** Answers by signature for a window; the oldest entries go first beyond `maxEntries`. */
export class AnalysisCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): { value: T; ageMs: number } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const age = this.now() - e.at;
    if (age > this.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: e.value, ageMs: age };
  }

  set(key: string, value: T): void {
    if (this.windowMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
