import { describe, expect, it } from "vitest";
import { rng } from "../monitor/engine/synthetic-fleet.js";
import { ChangeCusum } from "./change-cusum.js";
import { DailyProfile } from "./daily-profile.js";
import { gaussianTail } from "./gaussian-tail.js";
import { ScoreCalibration } from "./score-calibration.js";
import { ShapeResonance } from "./shape-resonance.js";
import { SpikeRate } from "./spike-rate.js";
import {
  CUSUM_ROUND_OPTIONS,
  DEFAULT_DETECTOR_OPTIONS,
  type DetectorOptions,
  SHAPE_ROUND_OPTIONS,
  SPIKE_ROUND_OPTIONS,
  StreamingAnomalyDetector,
  TUNE_HALF_OPTIONS,
} from "./streaming-anomaly-detector.js";

// The detector and its parts as they were before their state moved into shared buffers (fields and
// a typed array per part, ADR 0023 fifth round): the reference the packed detector must match bit for bit.

class FieldEwStats {
  mean = 0;
  absDev = 0;
  count = 0;

  constructor(readonly alpha: number) {}

  /** Adds x; the first points use 1/n weights so the estimate is not biased towards 0. */
  update(x: number): void {
    this.count++;
    const a = Math.max(this.alpha, 1 / this.count);
    const dev = Math.abs(x - this.mean);
    this.mean += a * (x - this.mean);
    this.absDev += a * ((this.count === 1 ? 0 : dev) - this.absDev);
  }
}

class FieldLikelihood {
  private readonly recent: Float64Array;
  private pos = 0;
  private filled = 0;
  private recentSum = 0;
  private mean = 0;
  private sq = 0;
  private n = 0;

  constructor(
    shortWindow: number,
    private readonly longAlpha: number,
    private readonly sdFloor = 1e-3,
  ) {
    this.recent = new Float64Array(shortWindow);
  }

  update(error: number): number {
    const old = this.recent[this.pos] ?? 0;
    this.recent[this.pos] = error;
    this.pos = (this.pos + 1) % this.recent.length;
    this.recentSum += error - (this.filled === this.recent.length ? old : 0);
    if (this.filled < this.recent.length) this.filled++;
    const shortMean = this.recentSum / this.filled;

    // Score against the distribution *before* this point, then learn it.
    const variance = Math.max(this.sq - this.mean * this.mean, 0);
    // Numenta bounds the spread from below too, so a very quiet stream does not alarm on tiny errors.
    const sd = Math.max(Math.sqrt(variance), this.sdFloor);
    const tail = this.n < 2 ? 0.5 : gaussianTail((shortMean - this.mean) / sd);

    this.n++;
    const a = Math.max(this.longAlpha, 1 / this.n);
    this.mean += a * (shortMean - this.mean);
    this.sq += a * (shortMean * shortMean - this.sq);

    return Math.min(1, Math.log(tail + 1e-10) / Math.log(1e-10));
  }
}

class FieldNovelty {
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private key = 0;
  private seen = 0;
  private readonly counts: Uint8Array;
  private readonly modulo: number;

  constructor(
    private readonly levels: number,
    private readonly order: number,
    private readonly power = 2,
  ) {
    this.modulo = levels ** order;
    this.counts = new Uint8Array(this.modulo);
  }

  /** Returns a novelty in [0,1]: 1 for an unseen context or a value outside the range seen so far. */
  update(value: number): number {
    this.seen++;
    const range = this.hi - this.lo;
    let outside = 0;
    if (this.seen > 1) {
      const excess = Math.max(value - this.hi, this.lo - value, 0);
      outside = excess > 0 ? Math.min(1, range > 0 ? 0.5 + excess / range : 1) : 0;
    }
    this.lo = Math.min(this.lo, value);
    this.hi = Math.max(this.hi, value);
    const span = this.hi - this.lo;
    const q = span > 0 ? Math.min(this.levels - 1, Math.floor(((value - this.lo) / span) * this.levels)) : 0;
    return Math.max(outside, this.context(q));
  }

  /** Same, for a level the caller quantised itself (0..levels-1, clamped): the novelty of the context. */
  updateLevel(level: number): number {
    this.seen++;
    return this.context(Math.max(0, Math.min(this.levels - 1, Math.floor(level))));
  }

  private context(q: number): number {
    this.key = (this.key * this.levels + q) % this.modulo;
    if (this.seen < this.order) return 0;
    const c = this.counts[this.key] ?? 0;
    if (c < 255) this.counts[this.key] = c + 1;
    return 1 / (1 + c) ** this.power;
  }
}

class FieldEntropy {
  private readonly recentBins: Uint8Array;
  private readonly recent: Float64Array;
  private readonly longRun: Float64Array;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private seen = 0;

  constructor(
    private readonly bins: number,
    private readonly window: number,
    private readonly longAlpha: number,
  ) {
    this.recentBins = new Uint8Array(window);
    this.recent = new Float64Array(bins);
    this.longRun = new Float64Array(bins).fill(1 / bins);
  }

  update(value: number): number {
    this.lo = Math.min(this.lo, value);
    this.hi = Math.max(this.hi, value);
    const span = this.hi - this.lo;
    const b = span > 0 ? Math.min(this.bins - 1, Math.floor(((value - this.lo) / span) * this.bins)) : 0;
    const slot = this.seen % this.window;
    if (this.seen >= this.window) this.recent[this.recentBins[slot] ?? 0]! -= 1;
    this.recentBins[slot] = b;
    this.recent[b]! += 1;
    this.seen++;
    if (this.seen < this.window) return 0;

    // KL(recent ‖ long run) with the long run smoothed so empty bins do not give infinities.
    let kl = 0;
    for (let i = 0; i < this.bins; i++) {
      const p = (this.recent[i] ?? 0) / this.window;
      if (p > 0) kl += p * Math.log(p / Math.max(this.longRun[i] ?? 0, 1e-3));
    }
    // Learn the long run from the value leaving the recent window's front, i.e. the current one.
    const a = this.longAlpha;
    for (let i = 0; i < this.bins; i++) this.longRun[i] = (1 - a) * (this.longRun[i] ?? 0) + (i === b ? a : 0);

    return kl;
  }
}

class FieldDetector {
  private readonly opts: DetectorOptions;
  private readonly levels: FieldEwStats[];
  private readonly steps: FieldEwStats;
  private readonly likelihood: FieldLikelihood;
  private readonly novelty: FieldNovelty;
  private readonly robustNovelty: FieldNovelty | undefined;
  private readonly noveltyRecent: Float64Array;
  private noveltySum = 0;
  private readonly entropy: FieldEntropy;
  private readonly entropyLikelihood: FieldLikelihood;
  private readonly daily: DailyProfile | undefined;
  private readonly dailyStats = new FieldEwStats(0.01);
  private readonly dailyLikelihood: FieldLikelihood;
  private readonly cusum: ChangeCusum | undefined;
  private readonly calibration: ScoreCalibration | undefined;
  private readonly shape: ShapeResonance | undefined;
  private readonly shapeLikelihood: FieldLikelihood | undefined;
  private readonly spike: SpikeRate | undefined;
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
    this.levels = o.alphas.map((a) => new FieldEwStats(a));
    this.steps = new FieldEwStats(o.alphas[o.alphas.length - 1] ?? 0.01);
    this.likelihood = new FieldLikelihood(o.shortWindow, o.longAlpha);
    this.novelty = new FieldNovelty(o.noveltyLevels, o.noveltyOrder, o.noveltyPower);
    this.robustNovelty =
      o.noveltySpread > 0 ? new FieldNovelty(o.noveltyLevels, o.noveltyOrder, o.noveltyPower) : undefined;
    this.noveltyRecent = new Float64Array(o.noveltyWindow);
    this.entropy = new FieldEntropy(o.entropyBins, o.entropyWindow, o.entropyAlpha);
    this.entropyLikelihood = new FieldLikelihood(1, o.longAlpha);
    this.daily = o.seasonal ? new DailyProfile() : undefined;
    this.dailyLikelihood = new FieldLikelihood(o.shortWindow, o.longAlpha);
    this.cusum = o.cusumWeight > 0 ? new ChangeCusum(o.cusumSlack, o.cusumHalf, o.cusumDecay) : undefined;
    this.calibration =
      o.calibrationWeight > 0 ? new ScoreCalibration(o.calibrationBins, o.calibrationFloor) : undefined;
    if (o.shapeWeight > 0) {
      this.shape = new ShapeResonance(o.shapeWindow, o.shapeBlock, o.shapeCapacity, o.shapeVigilance);
      this.shapeLikelihood = new FieldLikelihood(o.shortWindow, o.longAlpha);
    }
    this.spike = o.spikeWeight > 0 ? new SpikeRate(o.spikeZ, o.spikeWindow, o.longAlpha) : undefined;
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
    const spike = this.spike ? o.spikeWeight * this.spike.update(Math.abs(signed)) : 0;
    if (this.seen <= o.warmup) return 0;
    const out = Math.max(this.suppress(raw), spike);
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

const T0 = Date.UTC(2026, 0, 1);
const STEP_MS = 300_000;

/** Series with what the detector reacts to: noise, a daily cycle, shifts, spikes, ramps, flats, huge/tiny/non-finite values. */
function seriesSet(n: number): number[][] {
  const r = rng(7);
  const noise = () => r() - 0.5;
  const daily = (i: number) => 50 + 10 * Math.sin((2 * Math.PI * i) / 288);
  return [
    Array.from({ length: n }, (_, i) => daily(i) + 2 * noise() + (i >= n / 2 ? 40 : 0)),
    Array.from({ length: n }, (_, i) => daily(i) + 2 * noise() + (i % 397 === 0 ? 60 : 0)),
    Array.from({ length: n }, (_, i) => (i < n / 3 ? 7 : i < n / 2 ? 7 + i / 50 : 30 + 5 * noise())),
    Array.from({ length: n }, (_, i) => {
      if (i < 500) return 7;
      if (i < 1000) return i % 100 === 0 ? 1e12 : noise() * 1e-9;
      if (i % 500 === 3) return Number.NaN;
      if (i % 777 === 0) return Number.POSITIVE_INFINITY;
      return i % 250 === 0 ? -1e9 : noise();
    }),
    Array.from({ length: n }, (_, i) => Math.round(100 * r()) * (i % 1000 < 600 ? 1 : 3)),
    Array.from({ length: n }, (_, i) => (i % 64 < 32 ? 10 : 20) + noise() + (i > 2 * (n / 3) && i % 64 === 5 ? 15 : 0)),
  ];
}

/** Runs one detector per series, all at once (interleaved point by point, as a server's detectors run). */
function runAll(
  detectors: { update(t: Date, v: number): number; count: number; warmingUp: boolean }[],
  series: number[][],
): number[][] {
  const out = series.map(() => [] as number[]);
  const date = new Date(0);
  const n = series[0]!.length;
  for (let i = 0; i < n; i++) {
    // Gaps of several steps now and then, so seasonal slots move unevenly.
    date.setTime(T0 + i * STEP_MS + (i > 1000 ? 3 * STEP_MS : 0) + (i > 2000 ? 7 * STEP_MS : 0));
    for (let k = 0; k < series.length; k++) {
      out[k]!.push(detectors[k]!.update(date, series[k]![i]!));
      out[k]!.push(detectors[k]!.count, detectors[k]!.warmingUp ? 1 : 0);
    }
  }
  return out;
}

function expectIdentical(a: number[][], b: number[][]): void {
  let differing = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    expect(y.length).toBe(x.length);
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) differing++;
  }
  expect(differing).toBe(0);
}

const OPTION_SETS: [string, Partial<DetectorOptions>][] = [
  ["shipped", {}],
  ["short warm-up", { warmup: 20 }],
  ["tune half", TUNE_HALF_OPTIONS],
  ["CUSUM round", CUSUM_ROUND_OPTIONS],
  ["shape round", SHAPE_ROUND_OPTIONS],
  ["spike round", SPIKE_ROUND_OPTIONS],
  ["seasonal, calibrated", { seasonal: true, calibrationWeight: 0.5, warmup: 50 }],
  [
    "other sizes",
    {
      alphas: [0.5, 0.05, 0.002],
      shortWindow: 10,
      noveltyLevels: 6,
      noveltyOrder: 4,
      noveltyWindow: 7,
      entropyBins: 9,
      entropyWindow: 30,
      refractorySpan: 40,
      warmup: 10,
    },
  ],
];

describe("StreamingAnomalyDetector, state packed in shared buffers", () => {
  const series = seriesSet(3000);

  it.each(OPTION_SETS)("scores every point bit for bit like the field-based detector (%s options)", (_, options) => {
    const reference = runAll(
      series.map(() => new FieldDetector(options)),
      series,
    );
    const own = runAll(
      series.map(() => new StreamingAnomalyDetector(options)),
      series,
    );
    expectIdentical(reference, own);
    // The series do fire (the comparison is not one of zeros).
    expect(reference.flat().some((x) => x > 0.5 && x < 1)).toBe(true);
  });

  it("keeps several detectors in one store apart (the monitor's layout) and still matches the reference", () => {
    const options: Partial<DetectorOptions> = { warmup: 30 };
    const size = StreamingAnomalyDetector.size(options);
    const n = series.length;
    const buffer = new ArrayBuffer(n * (size.doubles * 8 + size.bytes));
    const doubles = new Float64Array(buffer, 0, n * size.doubles);
    const bytes = new Uint8Array(buffer, n * size.doubles * 8);
    const shared = series.map(
      (_, k) => new StreamingAnomalyDetector(options, { doubles, d: k * size.doubles, bytes, b: k * size.bytes }),
    );
    expectIdentical(
      runAll(
        series.map(() => new FieldDetector(options)),
        series,
      ),
      runAll(shared, series),
    );
  });

  it("is a few hundred bytes of doubles and ~1 KB of bytes at the shipped options", () => {
    const size = StreamingAnomalyDetector.size({});
    expect(size.doubles).toBeLessThan(80);
    expect(size.bytes).toBe(
      DEFAULT_DETECTOR_OPTIONS.noveltyLevels ** DEFAULT_DETECTOR_OPTIONS.noveltyOrder +
        DEFAULT_DETECTOR_OPTIONS.entropyWindow,
    );
  });
});
