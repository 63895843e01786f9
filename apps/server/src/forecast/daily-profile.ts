/**
 * Last day's value per time-of-day slot, so a value can be compared with the same time yesterday
 * (many metrics are daily-seasonal). Memory: one float per slot (288 for 5-minute data).
 */
export class DailyProfile {
  private slots: Float64Array | undefined;
  private stepMs = 0;
  private lastMs = Number.NaN;
  private filled = 0;

  constructor(private readonly maxSlots = 1440) {}

  /** Returns value minus the same slot yesterday, or undefined until a full day is known. */
  update(timestamp: Date, value: number): number | undefined {
    const ms = timestamp.getTime();
    if (!this.slots) {
      // The sampling step is taken from the first interval; daily profiles need 2..maxSlots slots a day.
      if (Number.isFinite(this.lastMs) && ms > this.lastMs) {
        this.stepMs = ms - this.lastMs;
        const n = Math.round(86_400_000 / this.stepMs);
        if (n >= 2 && n <= this.maxSlots) this.slots = new Float64Array(n).fill(Number.NaN);
        else this.stepMs = -1;
      }
      this.lastMs = ms;
      if (!this.slots) return undefined;
    }
    const n = this.slots.length;
    const slot = Math.floor(((ms % 86_400_000) + 86_400_000) / this.stepMs) % n;
    const before = this.slots[slot] ?? Number.NaN;
    this.slots[slot] = value;
    this.filled++;
    return this.filled > n && Number.isFinite(before) ? value - before : undefined;
  }
}
