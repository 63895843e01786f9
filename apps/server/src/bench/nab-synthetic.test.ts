import { describe, expect, it } from "vitest";
import { StreamingAnomalyDetector } from "../forecast/streaming-anomaly-detector.js";
import { loadScorer } from "./nab-corpus.js";
import { SYNTHETIC_KINDS, scoreSynthetic, syntheticCorpus, syntheticSeries } from "./nab-synthetic.js";

describe("nab-synthetic", () => {
  it("generates the same labelled series for the same seed, and different ones for other seeds", () => {
    const a = syntheticSeries("shift", 1, 1000);
    expect(syntheticSeries("shift", 1, 1000).values).toEqual(a.values);
    expect(syntheticSeries("shift", 2, 1000).values).not.toEqual(a.values);
    expect(a.at).toBeGreaterThanOrEqual(550);
    expect(a.at).toBeLessThan(850);
    expect(syntheticSeries("none", 1, 1000).at).toBe(-1);
  });

  it("puts the anomaly where it says: a shift moves the level after `at`, a spike is one row", () => {
    const base = syntheticSeries("none", 3, 2000).values;
    const shift = syntheticSeries("shift", 3, 2000);
    const mean = (xs: Float64Array, from: number, to: number) =>
      xs.slice(from, to).reduce((s, x) => s + x, 0) / (to - from);
    // Shifted by at least half the cycle's amplitude: the mean over whole cycles after `at` is higher.
    expect(mean(shift.values, shift.at, shift.at + 288)).toBeGreaterThan(mean(shift.values, shift.at - 576, shift.at));
    const spike = syntheticSeries("spike", 3, 2000);
    const jump = (spike.values[spike.at] ?? 0) - (spike.values[spike.at - 1] ?? 0);
    expect(Math.abs(jump)).toBeGreaterThan(
      3 * Math.abs((spike.values[spike.at - 1] ?? 0) - (spike.values[spike.at - 2] ?? 0)),
    );
    expect(base.length).toBe(2000);
  });

  it("lays the corpus out with the shared scorer: one window per anomalous file, none for controls", async () => {
    const scorer = await loadScorer();
    const profiles = { standard: { CostMatrix: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 } } };
    const corpus = syntheticCorpus({ scorer, profiles: profiles as never }, 1, 1500);
    expect(corpus.files).toHaveLength(SYNTHETIC_KINDS.length);
    for (const f of corpus.files) expect(f.layout.nWindows).toBe(f.rel.includes("/none_") ? 0 : 1);
  });

  it("scores with the NAB profiles: a detector that sees the anomalies beats the null score", async () => {
    const scorer = await loadScorer();
    const cost = (fp: number, fn: number) => ({ CostMatrix: { tpWeight: 1, fpWeight: fp, fnWeight: fn } });
    const profiles = {
      standard: cost(0.11, 1),
      reward_low_FP_rate: cost(0.22, 1),
      reward_low_FN_rate: cost(0.11, 2),
    };
    const corpus = syntheticCorpus({ scorer, profiles: profiles as never }, 1, 2000);
    const r = scoreSynthetic(corpus, {});
    expect(r.windows).toBe(SYNTHETIC_KINDS.length - 1);
    expect(r.windowsDetected).toBeGreaterThan(0);
    expect(r.standard).toBeGreaterThan(0);
    expect(r.standard).toBeLessThanOrEqual(100);
  });
  it("the shape-resonance component finds a faster or flattened cycle that the shipped detector misses", () => {
    const scores = (values: Float64Array, shapeWeight: number) => {
      const d = new StreamingAnomalyDetector({ shapeWeight });
      return Array.from(values, (v, i) => d.update(new Date(i * 300_000), v));
    };
    const peak = (xs: number[], from: number, to: number) => Math.max(...xs.slice(from, to));
    for (const kind of ["faster", "flatten"] as const) {
      const s = syntheticSeries(kind, 4);
      // The window NAB would label: 400 rows centred on the change.
      expect(peak(scores(s.values, 1), s.at - 200, s.at + 200)).toBeGreaterThan(0.9);
      expect(peak(scores(s.values, 0), s.at - 200, s.at + 200)).toBeLessThan(0.6);
    }
    // An anomaly-free control stays quiet over the same stretch.
    const control = syntheticSeries("none", 4);
    expect(peak(scores(control.values, 1), 2800, 3200)).toBeLessThan(0.5);
  });
});
