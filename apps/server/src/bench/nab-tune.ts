#!/usr/bin/env node
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_DETECTOR_OPTIONS, type DetectorOptions } from "../forecast/streaming-anomaly-detector.js";
import { evaluateNab, loadNabCorpus, type NabCorpus, nabSplit } from "./nab-corpus.js";

/** The coarse grid: each parameter's candidate values (the search moves one parameter at a time). */
export const TUNE_GRID: { [K in keyof DetectorOptions]?: DetectorOptions[K][] } = {
  warmup: [150, 225, 300],
  alphas: [
    [0.3, 0.003],
    [0.2, 0.003],
    [0.5, 0.003],
    [0.3, 0.01],
    [0.3, 0.001],
    [0.3, 0.03, 0.003],
  ],
  longAlpha: [0.0005, 0.001, 0.002],
  zHalf: [2, 2.5, 3],
  shortWindow: [3, 5, 8],
  noveltyWeight: [0.4, 0.5, 0.6, 0.7],
  noveltyLevels: [8, 10, 12],
  noveltyWindow: [2, 3, 5],
  noveltyPower: [1.5, 2, 3],
  noveltySpread: [0, 2, 3, 4, 6, 8],
  spatialTolerance: [0.01, 0.02, 0.05],
  spatialDecay: [0, 300, 1000, 3000],
  entropyBins: [4, 5, 6],
  entropyWindow: [36, 52, 72],
  entropyAlpha: [0.001, 0.002, 0.004],
  entropyWeight: [0.8, 1],
  suppressSpan: [100, 150, 200, 250],
  suppressMargin: [0.01, 0.02, 0.05],
  refractoryLevel: [0.65, 0.7, 0.72, 0.75, 0.8],
  refractorySpan: [0, 25, 50, 100],
};

export interface TuneStep {
  param: string;
  value: unknown;
  /** The objective: the mean of foldA and foldB. */
  objective: number;
  /** Fold A's standard score at the threshold NAB's rule picks on fold B, and vice versa. */
  foldA: number;
  foldB: number;
  /** Whole tune half, for the log. */
  standard: number;
  lowFp: number;
  lowFn: number;
}

/**
 * A less noisy check than the 2 folds: leave one category out inside the TUNE half. For each category,
 * NAB's rule picks the standard-profile threshold on the tune files of all other categories, and that
 * category's tune files are scored at it; the raw, null and perfect scores are pooled over categories
 * and normalised once. `worst` is the lowest per-category normalised score (categories with windows).
 */
export function leaveCategoryOut(corpus: NabCorpus, options: Partial<DetectorOptions> = {}) {
  const tune = nabSplit(
    corpus.files.map((f) => f.rel),
    "tune",
  );
  const category = (rel: string) => rel.split(/[\\/]/)[0] ?? "";
  const categories = [...new Set(tune.map(category))].sort();
  let raw = 0;
  let nul = 0;
  let perfect = 0;
  const perCategory: Record<string, number | null> = {};
  for (const c of categories) {
    const rest = tune.filter((r) => category(r) !== c);
    const mine = tune.filter((r) => category(r) === c);
    const t = evaluateNab(corpus, rest, options).optimised.standard.threshold;
    const at = evaluateNab(corpus, mine, options, { standard: t, reward_low_FP_rate: t, reward_low_FN_rate: t });
    const r = at.fixed?.standard;
    if (!r) continue;
    raw += r.raw;
    nul += r.nullScore;
    perfect += r.perfect;
    perCategory[c] = r.normalized === null ? null : Math.round(r.normalized * 100) / 100;
  }
  const scored = Object.values(perCategory).filter((x): x is number => x !== null);
  return {
    pooled: perfect === nul ? 0 : (100 * (raw - nul)) / (perfect - nul),
    worst: scored.length ? Math.min(...scored) : 0,
    perCategory,
  };
}

/**
 * Coordinate search on the TUNE half only, judged by 2-fold cross-validation inside it. The tune half is
 * split again the same way (by file, alternating within category) into folds A and B; NAB's threshold
 * rule picks the standard-profile threshold on one fold and the other fold is scored at it. The
 * objective is the mean of the two cross-fold scores, so a setting must generalise to files it was not
 * thresholded on (a plain tune-half maximum over-fitted: see NAB-RESULTS.md). Starting from `start`, each parameter of the grid is swept
 * over its candidates with the others fixed; a candidate is kept only if it beats the current
 * objective by at least `minGain`; passes repeat until nothing improves.
 */
export function coordinateSearch(
  corpus: NabCorpus,
  start: Partial<DetectorOptions> = {},
  grid = TUNE_GRID,
  { maxPasses = 3, minGain = 0.25 } = {},
): { best: Partial<DetectorOptions>; bestScore: number; log: TuneStep[] } {
  const tune = nabSplit(
    corpus.files.map((f) => f.rel),
    "tune",
  );
  const foldA = nabSplit(tune, "tune");
  const foldB = nabSplit(tune, "holdout");
  const log: TuneStep[] = [];
  const score = (o: Partial<DetectorOptions>, param: string, value: unknown) => {
    const at = (t: number | null) => ({ standard: t, reward_low_FP_rate: t, reward_low_FN_rate: t });
    const onA = evaluateNab(corpus, foldA, o);
    const onB = evaluateNab(corpus, foldB, o, at(onA.optimised.standard.threshold));
    const backOnA = evaluateNab(corpus, foldA, o, at(onB.optimised.standard.threshold));
    const a = backOnA.fixed?.standard.normalized ?? 0;
    const b = onB.fixed?.standard.normalized ?? 0;
    const e = evaluateNab(corpus, tune, o).optimised;
    const step = {
      param,
      value,
      objective: (a + b) / 2,
      foldA: a,
      foldB: b,
      standard: e.standard.normalized ?? 0,
      lowFp: e.reward_low_FP_rate.normalized ?? 0,
      lowFn: e.reward_low_FN_rate.normalized ?? 0,
    };
    log.push(step);
    return step.objective;
  };
  let best = { ...start };
  let bestScore = score(best, "start", null);
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (const [param, values] of Object.entries(grid)) {
      for (const value of values ?? []) {
        const cand = { ...best, [param]: value };
        if (JSON.stringify(cand) === JSON.stringify(best)) continue;
        const s = score(cand, param, value);
        if (s >= bestScore + minGain) {
          best = cand;
          bestScore = s;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return { best, bestScore, log };
}

async function main(argv: string[]): Promise<void> {
  const outIdx = argv.indexOf("--out");
  const out = resolve(outIdx >= 0 ? (argv[outIdx + 1] ?? "nab-tune.json") : "nab-tune.json");
  const t0 = Date.now();
  const corpus = await loadNabCorpus();
  if (argv.includes("--loco")) {
    // Only report the leave-one-category-out check for each --options JSON given.
    const sets = argv.flatMap((a, i) => (a === "--options" ? [argv[i + 1] ?? "{}"] : []));
    for (const json of sets.length ? sets : ["{}"]) {
      const loco = leaveCategoryOut(corpus, JSON.parse(json) as Partial<DetectorOptions>);
      console.log(JSON.stringify({ options: JSON.parse(json), ...loco }));
    }
    return;
  }
  const startIdx = argv.indexOf("--start");
  const start = startIdx >= 0 ? (JSON.parse(argv[startIdx + 1] ?? "{}") as Partial<DetectorOptions>) : {};
  const gridIdx = argv.indexOf("--grid");
  const grid = gridIdx >= 0 ? (JSON.parse(argv[gridIdx + 1] ?? "{}") as typeof TUNE_GRID) : TUNE_GRID;
  const { best, bestScore, log } = coordinateSearch(corpus, start, grid);
  const result = {
    measuredAt: new Date().toISOString(),
    objective:
      "2-fold cross-validation inside the TUNE half: mean of each fold's NAB standard score at the threshold NAB's rule picks on the other fold; a change is kept only if it gains >= 0.25",
    grid,
    defaults: DEFAULT_DETECTOR_OPTIONS,
    start,
    best,
    bestScore,
    evaluations: log.length,
    seconds: (Date.now() - t0) / 1000,
    log,
  };
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.error(
    `${log.length} evaluations, objective (cross-fold mean) ${bestScore.toFixed(2)} with ${JSON.stringify(best)} → ${out}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
