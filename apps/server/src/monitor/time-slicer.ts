import { performance } from "node:perf_hooks";

/** CPU a sliced job runs before it gives the event loop back (on a loaded 2-core machine wall time is 2–4× this). */
export const SLICE_BUDGET_MS = 8;

/**
 * Paces a long job over several event-loop tasks: the job asks `due()` between small steps and
 * `await pause()`s when it says so — once `budgetMs` of wall time passed since the last pause or
 * `maxSteps` steps ran, whichever comes first. A time budget rather than a fixed count keeps each task
 * short when steps cost more than usual (a fleet's first records create their servers' state; a whole
 * fleet's predictions rebuild after a tick).
 */
export class TimeSlicer {
  private since = performance.now();
  private steps = 0;

  constructor(
    private readonly maxSteps: number,
    private readonly budgetMs = SLICE_BUDGET_MS,
  ) {}

  /** Count `n` steps done; true when the job should pause now. */
  due(n = 1): boolean {
    this.steps += n;
    return this.steps >= this.maxSteps || performance.now() - this.since >= this.budgetMs;
  }

  /** Give the event loop back (timers, I/O, other requests run), then start a new budget. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = performance.now();
    this.steps = 0;
  }
}
