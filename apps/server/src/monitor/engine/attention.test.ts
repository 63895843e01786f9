import { describe, expect, it } from "vitest";
import { focusPeriods } from "./attention.js";
import { DEFAULT_MODEL } from "./model-params.js";
import { ModelRuntime } from "./model-runtime.js";
import { G_MEMORY, N_GROUPS, N_NUMERIC } from "./risk-features.js";
import { ServerWindow } from "./server-window.js";

/** Two days at one point a minute: memory high 5–7 hours before the end, normal otherwise. */
function fill(w: ServerWindow): number {
  const v = new Float64Array(N_NUMERIC);
  let last = 0;
  for (let i = 0; i < 2880; i++) {
    const age = 2879 - i;
    v.fill(5);
    v[G_MEMORY] = age >= 300 && age < 420 ? 92 + (i % 3) : 40 + (i % 5);
    last = i * 60_000;
    w.push(last, v, 0, 0);
  }
  return last;
}

describe("focusPeriods over a two-resolution window", () => {
  it("finds the same periods and nearly the same figures as over every point", () => {
    const rt = new ModelRuntime(DEFAULT_MODEL);
    const contributions = new Float64Array(N_GROUPS);
    contributions[G_MEMORY] = 10;
    const tiered = new ServerWindow(2880);
    const full = new ServerWindow(2880, 64, 2880, 1);
    const lastMs = fill(tiered);
    fill(full);
    expect(tiered.length).toBeLessThan(full.length / 5);
    const thresholds = rt.thresholds.Generic;
    const a = focusPeriods(tiered, thresholds, rt.params.weights, contributions, lastMs);
    const b = focusPeriods(full, thresholds, rt.params.weights, contributions, lastMs);
    expect(a.focus_periods).toEqual(b.focus_periods);
    expect(a.focus_periods[0]).toBe("4 hours ago");
    const about = (s: string) => Number(/about ([\d.]+)/.exec(s)?.[1]);
    expect(a.analysis).toMatch(/memory/);
    expect(Math.abs(about(a.analysis) - about(b.analysis))).toBeLessThanOrEqual(2);
  });
});
