import type { LiveStep } from "./frame-reducer.js";

export interface TimedStep extends LiveStep {
  /** Until the next step started; null for the last step (still running, or the final state). */
  durationMs: number | null;
}

/** Each step lasts until the next one starts (the server's workflow view counts the same way). */
export function timeSteps(steps: readonly LiveStep[]): TimedStep[] {
  return steps.map((s, i) => {
    const next = steps[i + 1];
    const d = next ? Date.parse(next.at) - Date.parse(s.at) : null;
    return { ...s, durationMs: d === null || Number.isNaN(d) ? null : Math.max(0, d) };
  });
}

/** 850 ms, 4.2 s, 3 min 5 s, 2 h 4 min. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
