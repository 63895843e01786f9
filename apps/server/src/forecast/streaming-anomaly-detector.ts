import { AnomalyLikelihood } from "./anomaly-likelihood.js";
import { ContextNovelty } from "./context-novelty.js";
import { DailyProfile } from "./daily-profile.js";
import { EwStats } from "./ew-stats.js";
import { RelativeEntropy } from "./relative-entropy.js";

/** One parameter set for every series: these defaults are what NAB-RESULTS.md reports. */
export interface DetectorOptions {
  /** Points that output 0 while the statistics settle (NAB ignores the first 15%, at least 169 rows). */
  warmup: number;
  /** EW smoothing factors of the value models, fast to slow. */
  alphas: readonly number[];
  /** Averaging window of raw errors for the likelihood (Numenta uses 10). */
  shortWindow: number;
  /** EW factor of the long-run error distribution. */
  longAlpha: number;
  /** z at which the raw error reaches 0.5. */
  zHalf: number;
  /** After a peak, lower scores are damped until the peak has decayed over about this many points. */
  suppressSpan: number;
  /** Factor applied to scores below the decaying last peak. */
  suppressFactor: number;
  /** In a hold, a score passes only if it beats the held peak by this much. */
  suppressMargin: number;
  /** Quantisation levels and context length of the novelty model. */
  noveltyLevels: number;
  noveltyOrder: number;
  /** Window over which novelties are averaged. */
  noveltyWindow: number;
  /** Weight of the novelty score against the error likelihood. */
  noveltyWeight: number;
  /** Exponent p of the novelty 1/(1+count)^p of a seen context. */
  noveltyPower: number;
  /** "hold": the last peak blocks lower scores for suppressSpan points; "decay": it decays exponentially. */
  suppressMode: "hold" | "decay";
  combine: "mean" | "max" | "or";
  /** Share of the novelty in the raw error fed to the likelihood. */
  mixIntoLikelihood: number;
  /** Share of the seen range beyond which a value is a spatial anomaly (negative: off). */
  spatialTolerance: number;
  /** Daily-seasonal error: off, folded into the z, or its own likelihood. */
  seasonal: "off" | "z" | "lik";
  /** Lower bound of the error spread in the likelihood. */
  sdFloor: number;
  /** Score of a spatial anomaly at the tolerance, rising to 1 at spatialScale × range beyond. */
  spatialBase: number;
  spatialScale: number;
  /** Time-of-day buckets in the novelty context (1: none). */
  noveltyPhases: number;
  /** Distribution-change component: histogram bins, recent window, long-run EW factor, weight (0: off). */
  entropyBins: number;
  entropyWindow: number;
  entropyAlpha: number;
  entropyWeight: number;
  /** Weight of the error likelihood on its own (besides its share of the blend). */
  likelihoodWeight: number;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = {
  warmup: 300,
  alphas: [0.3, 0.03, 0.003],
  shortWindow: 5,
  longAlpha: 0.001,
  zHalf: 3,
  suppressSpan: 100,
  suppressFactor: 0,
  suppressMargin: 0.02,
  noveltyLevels: 10,
  noveltyOrder: 3,
  noveltyWindow: 3,
  noveltyWeight: 0.6,
  noveltyPower: 2,
  suppressMode: "hold",
  combine: "mean",
  mixIntoLikelihood: 0,
  spatialTolerance: 0.02,
  seasonal: "lik",
  sdFloor: 0.001,
  spatialBase: 1,
  spatialScale: 0.2,
  noveltyPhases: 1,
  entropyBins: 5,
  entropyWindow: 52,
  entropyAlpha: 0.002,
  entropyWeight: 1,
  likelihoodWeight: 0,
};

/**
 * Streaming anomaly detector for one metric series. Each score uses only past and current points;
 * state is a few dozen numbers, cost O(1) per point, so one instance per server metric is cheap.
 */
export class StreamingAnomalyDetector {
  private readonly opts: DetectorOptions;
  private readonly levels: EwStats[];
  private readonly diffs: EwStats;
  private readonly likelihood: AnomalyLikelihood;
  private readonly novelty: ContextNovelty;
  private readonly noveltyRecent: Float64Array;
  private noveltySum = 0;
  private readonly peakDecay: number;
  private readonly daily = new DailyProfile();
  private readonly entropy: RelativeEntropy;
  private readonly entropyLikelihood: AnomalyLikelihood;
  private readonly dailyStats = new EwStats(0.01);
  private readonly dailyLikelihood: AnomalyLikelihood;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private peak = 0;
  private peakAge = 0;
  private prev: number | undefined;
  private seen = 0;

  constructor(options: Partial<DetectorOptions> = {}) {
    this.opts = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
    this.levels = this.opts.alphas.map((a) => new EwStats(a));
    this.diffs = new EwStats(this.opts.alphas[this.opts.alphas.length - 1] ?? 0.01);
    this.likelihood = new AnomalyLikelihood(this.opts.shortWindow, this.opts.longAlpha, this.opts.sdFloor);
    this.entropy = new RelativeEntropy(this.opts.entropyBins, this.opts.entropyWindow, this.opts.entropyAlpha);
    this.entropyLikelihood = new AnomalyLikelihood(1, this.opts.longAlpha, this.opts.sdFloor);
    this.dailyLikelihood = new AnomalyLikelihood(this.opts.shortWindow, this.opts.longAlpha, this.opts.sdFloor);
    this.novelty = new ContextNovelty(
      this.opts.noveltyLevels,
      this.opts.noveltyOrder,
      this.opts.noveltyPower,
      this.opts.noveltyPhases,
    );
    this.noveltyRecent = new Float64Array(this.opts.noveltyWindow);
    this.peakDecay = Math.exp(-1 / this.opts.suppressSpan);
  }

  get count(): number {
    return this.seen;
  }

  update(timestamp: Date, value: number): number {
    this.seen++;
    if (!Number.isFinite(value)) return 0;

    // Raw error: the largest robust z of the value against each time scale, and of its step.
    let z = 0;
    for (const s of this.levels) {
      if (s.count > 1) z = Math.max(z, robustZ(value - s.mean, s.absDev, s.mean));
      s.update(value);
    }
    if (this.prev !== undefined) {
      const d = value - this.prev;
      if (this.diffs.count > 1) z = Math.max(z, robustZ(d - this.diffs.mean, this.diffs.absDev, value));
      this.diffs.update(d);
    }
    this.prev = value;
    // Seasonal error: change against the same time yesterday, in units of its usual size.
    let dailyLik = 0;
    const dr = this.opts.seasonal === "off" ? undefined : this.daily.update(timestamp, value);
    if (dr !== undefined) {
      const s = this.dailyStats;
      const zs = s.count > 1 ? robustZ(dr - s.mean, s.absDev, value) : 0;
      s.update(dr);
      if (this.opts.seasonal === "z") z = Math.max(z, zs);
      else {
        const zs2 = zs * zs;
        dailyLik = this.dailyLikelihood.update(zs2 / (zs2 + this.opts.zHalf * this.opts.zHalf));
      }
    }
    const z2 = z * z;
    const error = z2 / (z2 + this.opts.zHalf * this.opts.zHalf);
    // Spatial anomaly as in NAB's HTM detector: a value beyond the range seen so far (+ tolerance) scores 1.
    const range = this.hi - this.lo;
    const excess = range > 0 && this.seen > 2 ? Math.max(value - this.hi, this.lo - value) / range : 0;
    const spatial = excess > this.opts.spatialTolerance;
    this.lo = Math.min(this.lo, value);
    this.hi = Math.max(this.hi, value);
    const phase = Math.floor((timestamp.getUTCHours() * this.opts.noveltyPhases) / 24);
    const nov = this.novelty.update(value, Number.isFinite(phase) ? phase : 0);
    const m = this.opts.mixIntoLikelihood;
    const lik = Math.max(dailyLik, this.likelihood.update((1 - m) * error + m * nov));
    const slot = this.seen % this.noveltyRecent.length;
    this.noveltySum += nov - (this.noveltyRecent[slot] ?? 0);
    this.noveltyRecent[slot] = nov;
    const novAvg = this.noveltySum / this.noveltyRecent.length;
    const w = this.opts.noveltyWeight;
    const blended =
      this.opts.combine === "max"
        ? Math.max(w * novAvg, (1 - w) * lik)
        : this.opts.combine === "or"
          ? 1 - (1 - w * novAvg) * (1 - (1 - w) * lik)
          : w * novAvg + (1 - w) * lik;
    // Graded, so a far breakout outranks a creeping new high of a trending series.
    const { spatialBase, spatialScale } = this.opts;
    const ent = this.opts.entropyWeight > 0 ? this.entropyLikelihood.update(this.entropy.update(value)) : 0;
    const withEntropy = Math.max(blended, this.opts.entropyWeight * ent, this.opts.likelihoodWeight * lik);
    const raw =
      spatial && this.opts.spatialTolerance >= 0
        ? Math.max(withEntropy, spatialBase + (1 - spatialBase) * Math.min(1, excess / spatialScale))
        : withEntropy;
    if (this.seen <= this.opts.warmup) return 0;

    // Only a new peak passes at full strength: NAB rewards the first detection, penalises repeats.
    // While a hold lasts, a score must beat the held peak by a margin, so a ramp fires once.
    if (this.opts.suppressMode === "hold") {
      this.peakAge++;
      const holding = this.peakAge <= this.opts.suppressSpan;
      const pass = !holding || raw > this.peak + this.opts.suppressMargin;
      if (!holding || raw > this.peak) {
        this.peak = raw;
        this.peakAge = 0;
      }
      return pass ? raw : raw * this.opts.suppressFactor;
    }
    const peakBefore = this.peak;
    this.peak = Math.max(raw, this.peak * this.peakDecay);
    return raw > peakBefore ? raw : raw * this.opts.suppressFactor;
  }
}

/** |dev| in units of the EW absolute deviation (×1.25 ≈ σ for Gaussian noise); flat series get a tiny floor. */
function robustZ(dev: number, absDev: number, scale: number): number {
  const floor = 1e-9 + 1e-6 * Math.abs(scale);
  return Math.abs(dev) / (1.25 * absDev + floor);
}
