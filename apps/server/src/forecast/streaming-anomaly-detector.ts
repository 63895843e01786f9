import { AnomalyLikelihood } from "./anomaly-likelihood.js";
import { ChangeCusum } from "./change-cusum.js";
import { ContextNovelty } from "./context-novelty.js";
import { DailyProfile } from "./daily-profile.js";
import { EwStats } from "./ew-stats.js";
import { RelativeEntropy } from "./relative-entropy.js";
import { ScoreCalibration } from "./score-calibration.js";
import { ShapeResonance } from "./shape-resonance.js";

/** One parameter set for every series: the defaults are what NAB-RESULTS.md reports (chosen on NAB's tune half). */
export interface DetectorOptions {
  /** Points that output 0 while the statistics settle (NAB ignores the first 15%, at least 169 rows). */
  warmup: number;
  /** EW smoothing factors of the value models, fast to slow (the slowest also centres the robust novelty). */
  alphas: readonly number[];
  /** Averaging window of raw errors for the likelihood (Numenta uses 10). */
  shortWindow: number;
  /** EW factor of the long-run distributions the likelihoods compare against. */
  longAlpha: number;
  /** Robust z at which the raw error reaches 0.5. */
  zHalf: number;
  /** Quantisation levels and context length of the novelty models. */
  noveltyLevels: number;
  noveltyOrder: number;
  /** Window over which novelties are averaged. */
  noveltyWindow: number;
  /** Novelty exponent p: a context seen c times scores 1/(1+c)^p. */
  noveltyPower: number;
  /**
   * Second, robust novelty model (0: off): levels are noveltySpread × the slow EW absolute deviation
   * wide, centred on the slow EW mean, so one old outlier cannot squash a spiky series into one level
   * of the running range. The novelty is the larger of the two models'.
   */
  noveltySpread: number;
  /** Weight of the novelty against the error likelihood in their blend. */
  noveltyWeight: number;
  /** Share of the seen range beyond which a value is a spatial anomaly, scored 1 (negative: off)... */
  spatialTolerance: number;
  /** ...times (1 + spatialDecay / points seen): a young range is trusted less. */
  spatialDecay: number;
  /** Distribution-change component: histogram bins, recent window, long-run EW factor, weight (0: off). */
  entropyBins: number;
  entropyWindow: number;
  entropyAlpha: number;
  entropyWeight: number;
  /** Also score the change against the same time yesterday (measured: no gain on NAB, so off). */
  seasonal: boolean;
  /** After a score, lower ones are held at 0 for this many points... */
  suppressSpan: number;
  /** ...and higher ones pass only if they beat the held peak by this margin, so a ramp fires once. */
  suppressMargin: number;
  /** Refractory period: after an output of at least refractoryLevel, output 0 for refractorySpan points (0: off). */
  refractoryLevel: number;
  refractorySpan: number;
  /** Change-point component: CUSUM of the robust z against the slow mean (weight 0: off), its slack, half-score sum and leak. */
  cusumWeight: number;
  cusumSlack: number;
  cusumHalf: number;
  cusumDecay: number;
  /** Per-series self-calibration (weight 0: off): blend the raw score with its rarity among this series' past scores. */
  calibrationWeight: number;
  calibrationBins: number;
  /** Rarity (share of past scores at least as high) that maps to 1. */
  calibrationFloor: number;
  /**
   * Shape-resonance component (weight 0: off), after ARTime: the likelihood of the distance from the
   * mean-removed shape of the last shapeWindow block means (blocks of shapeBlock points) to the nearest
   * of up to shapeCapacity learnt categories, in units of the usual nearest distance; a shape beyond
   * shapeVigilance × that distance founds a new category.
   */
  shapeWeight: number;
  shapeWindow: number;
  shapeBlock: number;
  shapeCapacity: number;
  shapeVigilance: number;
}

/**
 * The shipped set: the additions (robust novelty, spatial decay, refractory period) are off. The set
 * `nab-tune.ts` chose on NAB's tune half (`TUNE_HALF_OPTIONS`) scored higher there and lower on the
 * held-out half, so it is kept for reference, not shipped; see NAB-RESULTS.md.
 */
export const DEFAULT_DETECTOR_OPTIONS: Readonly<DetectorOptions> = {
  warmup: 300,
  alphas: [0.3, 0.003],
  shortWindow: 5,
  longAlpha: 0.001,
  zHalf: 2.5,
  noveltyLevels: 10,
  noveltyOrder: 3,
  noveltyWindow: 3,
  noveltyPower: 2,
  noveltySpread: 0,
  noveltyWeight: 0.6,
  spatialTolerance: 0.02,
  spatialDecay: 0,
  entropyBins: 5,
  entropyWindow: 52,
  entropyAlpha: 0.002,
  entropyWeight: 1,
  seasonal: false,
  suppressSpan: 100,
  suppressMargin: 0.02,
  refractoryLevel: 0.72,
  refractorySpan: 0,
  cusumWeight: 0,
  cusumSlack: 1,
  cusumHalf: 20,
  cusumDecay: 0.99,
  calibrationWeight: 0,
  calibrationBins: 20,
  calibrationFloor: 1e-3,
  shapeWeight: 0,
  shapeWindow: 8,
  shapeBlock: 4,
  shapeCapacity: 32,
  shapeVigilance: 2,
};

/** What `nab-tune.ts` chose on the tune half (cross-validated coordinate search); over-fitted, see above. */
export const TUNE_HALF_OPTIONS: Readonly<Partial<DetectorOptions>> = {
  noveltySpread: 3,
  spatialDecay: 300,
  suppressSpan: 200,
  refractorySpan: 50,
};

/**
 * What the second round (issue #18, round 2) chose on the tune half: the CUSUM change-point component
 * plus the refractory period. Cross-validated objective 76.89 on the tune half (shipped: 68.41), but
 * 63.07 standard on the held-out half at the tune-half threshold (shipped: 69.58), so it is kept for
 * reference, not shipped; see NAB-RESULTS.md.
 */
export const CUSUM_ROUND_OPTIONS: Readonly<Partial<DetectorOptions>> = {
  cusumWeight: 0.95,
  cusumSlack: 2,
  refractorySpan: 50,
  suppressSpan: 200,
  spatialDecay: 300,
};

/**
 * Round 3 (issue #18): the shape-resonance component. `SHAPE_DESIGN_OPTIONS` is the component with its
 * design values (C1 in NAB-RESULTS.md: +13 on the synthetic labelled corpus, −2.7 on the tune half's
 * cross-validated objective, never scored on the held-out half); `SHAPE_ROUND_OPTIONS` (C2, a 64-point
 * shape) was the round's final candidate by the rule fixed in advance and scored 69.12 standard on the
 * held-out half at the tune-half threshold (shipped: 69.58). Neither is shipped; kept for reference.
 */
export const SHAPE_DESIGN_OPTIONS: Readonly<Partial<DetectorOptions>> = { shapeWeight: 1 };
export const SHAPE_ROUND_OPTIONS: Readonly<Partial<DetectorOptions>> = { shapeWeight: 1, shapeWindow: 16 };

/**
 * Streaming anomaly detector for one metric series: score = max of
 *  - a blend of sequence novelty (unseen context of quantised values, over the running range and over
 *    a robust scale around the slow mean) and the Numenta-style likelihood of robust multi-scale z errors,
 *  - the likelihood of a distribution change (relative entropy of recent vs long-run histogram),
 *  - 1 for a spatial anomaly (beyond the range seen so far),
 *  - optionally a CUSUM change-point score of the robust z against the slow mean,
 *  - optionally the likelihood of a recent shape unlike every learnt shape category (ShapeResonance),
 * optionally blended with its rarity among the series' own past scores, then held so that each burst fires once, with a refractory period after a high output. Each score
 * uses only past and current points; cost is O(levels^order + bins) memory (about 2.3 KB of arrays)
 * and O(bins) time per point, for any series length.
 */
export class StreamingAnomalyDetector {
  private readonly opts: DetectorOptions;
  private readonly levels: EwStats[];
  private readonly steps: EwStats;
  private readonly likelihood: AnomalyLikelihood;
  private readonly novelty: ContextNovelty;
  private readonly robustNovelty: ContextNovelty | undefined;
  private readonly noveltyRecent: Float64Array;
  private noveltySum = 0;
  private readonly entropy: RelativeEntropy;
  private readonly entropyLikelihood: AnomalyLikelihood;
  private readonly daily: DailyProfile | undefined;
  private readonly dailyStats = new EwStats(0.01);
  private readonly dailyLikelihood: AnomalyLikelihood;
  private readonly cusum: ChangeCusum | undefined;
  private readonly calibration: ScoreCalibration | undefined;
  private readonly shape: ShapeResonance | undefined;
  private readonly shapeLikelihood: AnomalyLikelihood | undefined;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private prev: number | undefined;
  private peak = 0;
  private peakAge = 0;
  private quiet = 0;
  private seen = 0;

  constructor(options: Partial<DetectorOptions> = {}) {
    const o = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
    this.opts = o;
    this.levels = o.alphas.map((a) => new EwStats(a));
    this.steps = new EwStats(o.alphas[o.alphas.length - 1] ?? 0.01);
    this.likelihood = new AnomalyLikelihood(o.shortWindow, o.longAlpha);
    this.novelty = new ContextNovelty(o.noveltyLevels, o.noveltyOrder, o.noveltyPower);
    this.robustNovelty =
      o.noveltySpread > 0 ? new ContextNovelty(o.noveltyLevels, o.noveltyOrder, o.noveltyPower) : undefined;
    this.noveltyRecent = new Float64Array(o.noveltyWindow);
    this.entropy = new RelativeEntropy(o.entropyBins, o.entropyWindow, o.entropyAlpha);
    this.entropyLikelihood = new AnomalyLikelihood(1, o.longAlpha);
    this.daily = o.seasonal ? new DailyProfile() : undefined;
    this.dailyLikelihood = new AnomalyLikelihood(o.shortWindow, o.longAlpha);
    this.cusum = o.cusumWeight > 0 ? new ChangeCusum(o.cusumSlack, o.cusumHalf, o.cusumDecay) : undefined;
    this.calibration =
      o.calibrationWeight > 0 ? new ScoreCalibration(o.calibrationBins, o.calibrationFloor) : undefined;
    if (o.shapeWeight > 0) {
      this.shape = new ShapeResonance(o.shapeWindow, o.shapeBlock, o.shapeCapacity, o.shapeVigilance);
      this.shapeLikelihood = new AnomalyLikelihood(o.shortWindow, o.longAlpha);
    }
  }

  /** Points seen so far (callers can report "warming up" while count <= warmup). */
  get count(): number {
    return this.seen;
  }

  get warmingUp(): boolean {
    return this.seen <= this.opts.warmup;
  }

  update(timestamp: Date, value: number): number {
    this.seen++;
    if (!Number.isFinite(value)) return 0;
    const o = this.opts;

    // Raw error: the largest robust z of the value against each time scale, and of its step.
    let z = 0;
    const slow = this.levels[this.levels.length - 1];
    const signed =
      slow && slow.count > 1 ? (value - slow.mean) / (1.25 * slow.absDev + 1e-9 + 1e-6 * Math.abs(slow.mean)) : 0;
    for (const s of this.levels) {
      if (s.count > 1) z = Math.max(z, robustZ(value - s.mean, s.absDev, s.mean));
      s.update(value);
    }
    if (this.prev !== undefined) {
      const d = value - this.prev;
      if (this.steps.count > 1) z = Math.max(z, robustZ(d - this.steps.mean, this.steps.absDev, value));
      this.steps.update(d);
    }
    this.prev = value;
    const lik = Math.max(this.likelihood.update(squash(z, o.zHalf)), this.seasonalLikelihood(timestamp, value));

    // Spatial anomaly as in NAB's HTM detector: a value beyond the range seen so far (+ tolerance).
    const range = this.hi - this.lo;
    const excess = range > 0 && this.seen > 2 ? Math.max(value - this.hi, this.lo - value) / range : 0;
    const spatial = o.spatialTolerance >= 0 && excess > o.spatialTolerance * (1 + o.spatialDecay / this.seen);
    this.lo = Math.min(this.lo, value);
    this.hi = Math.max(this.hi, value);

    const nov = Math.max(this.novelty.update(value), this.robustLevelNovelty(value));
    const slot = this.seen % this.noveltyRecent.length;
    this.noveltySum += nov - (this.noveltyRecent[slot] ?? 0);
    this.noveltyRecent[slot] = nov;
    const novAvg = this.noveltySum / this.noveltyRecent.length;

    const ent = o.entropyWeight > 0 ? this.entropyLikelihood.update(this.entropy.update(value)) : 0;
    const blend = o.noveltyWeight * novAvg + (1 - o.noveltyWeight) * lik;
    let cus = 0;
    if (this.cusum) {
      cus = this.cusum.update(signed);
      if (cus >= 0.9) this.cusum.reset();
    }
    const shape = this.shape && this.shapeLikelihood ? this.shapeLikelihood.update(this.shape.update(value)) : 0;
    let raw = spatial ? 1 : Math.max(blend, o.entropyWeight * ent, o.cusumWeight * cus, o.shapeWeight * shape);
    if (this.calibration) raw = (1 - o.calibrationWeight) * raw + o.calibrationWeight * this.calibration.update(raw);
    if (this.seen <= o.warmup) return 0;
    const out = this.suppress(raw);
    // Refractory: NAB counts only the first detection in a window and charges every false one.
    if (this.quiet > 0) {
      this.quiet--;
      return 0;
    }
    if (out >= o.refractoryLevel) this.quiet = o.refractorySpan;
    return out;
  }

  /** Context novelty of the value quantised around the slow EW mean in units of its EW absolute deviation. */
  private robustLevelNovelty(value: number): number {
    const s = this.levels[this.levels.length - 1];
    if (!this.robustNovelty || !s || s.count < 2) return 0;
    const unit = this.opts.noveltySpread * s.absDev + 1e-9 + 1e-6 * Math.abs(s.mean);
    return this.robustNovelty.updateLevel((value - s.mean) / unit + this.opts.noveltyLevels / 2);
  }

  /** NAB rewards the first detection in a window and charges every false one: fire once per burst. */
  private suppress(raw: number): number {
    this.peakAge++;
    const holding = this.peakAge <= this.opts.suppressSpan;
    const pass = !holding || raw > this.peak + this.opts.suppressMargin;
    if (!holding || raw > this.peak) {
      this.peak = raw;
      this.peakAge = 0;
    }
    return pass ? raw : 0;
  }

  /** Change against the same time yesterday, in units of its usual size, as a likelihood. */
  private seasonalLikelihood(timestamp: Date, value: number): number {
    const dr = this.daily?.update(timestamp, value);
    if (dr === undefined) return 0;
    const s = this.dailyStats;
    const zs = s.count > 1 ? robustZ(dr - s.mean, s.absDev, value) : 0;
    s.update(dr);
    return this.dailyLikelihood.update(squash(zs, this.opts.zHalf));
  }
}

/** |dev| in units of the EW absolute deviation (×1.25 ≈ σ for Gaussian noise); flat series get a tiny floor. */
function robustZ(dev: number, absDev: number, scale: number): number {
  const floor = 1e-9 + 1e-6 * Math.abs(scale);
  return Math.abs(dev) / (1.25 * absDev + floor);
}

/** Maps z ≥ 0 to [0,1), reaching 0.5 at zHalf: bounded, so one wild point cannot dominate the averages. */
function squash(z: number, zHalf: number): number {
  const z2 = z * z;
  return z2 / (z2 + zHalf * zHalf);
}
