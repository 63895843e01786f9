import type { MetricRecord } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { fitModel, forecastLoss } from "./fit-model.js";
import { DEFAULT_MODEL, defaultParams, paramsOf } from "./model-params.js";
import { healthyValues, rng, syntheticRecord } from "./synthetic-fleet.js";

const T0 = Date.UTC(2025, 0, 15);

/** Two days of 5-minute data: smooth random-walk memory (defaults smooth too much) on noisy healthy servers. */
function history(): MetricRecord[] {
  const r = rng(21);
  const out: MetricRecord[] = [];
  const walk = [55, 60, 65];
  for (let i = 0; i < 576; i++) {
    const ms = T0 + i * 300_000;
    walk.forEach((w, k) => {
      walk[k] = Math.min(90, Math.max(20, w + 2 * (r() - 0.5)));
      out.push(syntheticRecord(`ppdb00${k}`, ms, { ...healthyValues(ms, r), mem: walk[k]!, iowait: 6 + r() }));
    });
  }
  return out;
}

describe("fitModel", () => {
  it("lowers the one-step forecast loss, reports progress, names and versions the model", () => {
    const data = history();
    const losses: number[] = [];
    const model = fitModel(data, DEFAULT_MODEL, {
      epochs: 6,
      incremental: false,
      onProgress: (p) => losses.push(p.loss),
      now: new Date(Date.UTC(2025, 0, 17, 10, 5, 0)),
    });
    expect(model.name).toBe("argus_model_20250117_100500");
    expect(model.version).toBe(DEFAULT_MODEL.version + 1);
    expect(losses).toHaveLength(6);
    for (let i = 1; i < losses.length; i++) expect(losses[i]!).toBeLessThanOrEqual(losses[i - 1]! + 1e-12);
    const before = forecastLoss(data, defaultParams());
    const after = forecastLoss(data, paramsOf(model));
    expect(after).toBeLessThan(before * 0.95);
    expect(losses[losses.length - 1]!).toBeCloseTo(after, 6);
  });

  it("fits each profile's healthy operating point and daily profile", () => {
    const model = fitModel(history(), DEFAULT_MODEL, { epochs: 0, incremental: false });
    const p = paramsOf(model);
    const db = p.profiles.Database;
    expect(db.thresholds.iowait.normal).toBeGreaterThan(6);
    expect(db.thresholds.iowait.normal).toBeLessThan(7);
    expect(db.thresholds.cpu.normal).toBeCloseTo(30, 0);
    // healthyValues peaks mid-afternoon UTC: the fitted CPU profile is high at 15:00 and low at 03:00.
    expect(db.seasonal.cpu![15]!).toBeGreaterThan(5);
    expect(db.seasonal.cpu![3]!).toBeLessThan(-5);
    // Profiles without data keep their defaults.
    expect(p.profiles["ML Compute"]).toEqual(defaultParams().profiles["ML Compute"]);
  });

  it("starts from the base model when incremental", () => {
    const base = fitModel(history(), DEFAULT_MODEL, { epochs: 2, incremental: false });
    const next = fitModel([], base, { epochs: 0, incremental: true });
    expect(next.version).toBe(base.version + 1);
    expect(paramsOf(next).smoothing).toEqual(paramsOf(base).smoothing);
    const fresh = fitModel([], base, { epochs: 0, incremental: false });
    expect(paramsOf(fresh).smoothing).toEqual(defaultParams().smoothing);
  });

  it("throws an AbortError between epochs once aborted", () => {
    const ac = new AbortController();
    const run = () =>
      fitModel(history(), DEFAULT_MODEL, {
        epochs: 5,
        incremental: false,
        signal: ac.signal,
        onProgress: (p) => p.epoch === 2 && ac.abort(),
      });
    expect(run).toThrow(expect.objectContaining({ name: "AbortError" }));
  });
});
