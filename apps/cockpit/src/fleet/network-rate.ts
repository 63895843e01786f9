import type { MetricSample } from "../live/frame-reducer.js";

/**
 * Received/sent KB/s between consecutive samples (the frames carry cumulative byte counters). A counter that
 * went down (the container restarted) counts as 0 for that step, not a negative rate.
 */
export function networkRates(samples: readonly MetricSample[]): { t: number[]; rx: number[]; tx: number[] } {
  const t: number[] = [];
  const rx: number[] = [];
  const tx: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as MetricSample;
    const b = samples[i] as MetricSample;
    const dt = b.t - a.t;
    if (dt <= 0) continue;
    t.push(b.t);
    rx.push(Math.max(0, b.rxBytes - a.rxBytes) / 1024 / dt);
    tx.push(Math.max(0, b.txBytes - a.txBytes) / 1024 / dt);
  }
  return { t, rx, tx };
}
