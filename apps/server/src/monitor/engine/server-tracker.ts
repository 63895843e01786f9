import type { AlertLevel, MetricRecord, PredictionAlert, ServerStatus } from "@aegis/contracts";
import { type DetectorOptions, StreamingAnomalyDetector } from "../../forecast/streaming-anomaly-detector.js";
import { hourSlot } from "./data-time.js";
import { HOLT_STATE, HoltForecaster } from "./holt-forecaster.js";
import type { ModelRuntime } from "./model-runtime.js";
import {
  FORECAST_GROUPS,
  G_CPU,
  G_IOWAIT,
  G_MEMORY,
  N_FORECAST,
  N_NUMERIC,
  statusCode,
  writeNumericFeatures,
} from "./risk-features.js";
import type { RiskContext, RiskInput } from "./risk-function.js";
import { type ProfileName, profileFromMetrics, profileFromName } from "./server-profile.js";
import { ServerWindow } from "./server-window.js";

/** Sampling interval assumed until a server's second record arrives (the seed samples every 5 minutes). */
export const DEFAULT_INTERVAL_MS = 300_000;
/** Records after which a server without a telling name gets a profile from its behaviour. */
export const PROFILE_INFERENCE_RECORDS = 36;
/**
 * Groups scored by the NAB anomaly detector. Each detector costs ~0.6 µs a point (a third of the
 * per-record budget at 150k records/s), so only CPU (which includes I/O wait: 100 − idle) and memory.
 */
export const ANOMALY_GROUPS: readonly number[] = [G_CPU, G_MEMORY];

const MS_30M = 1_800_000;
/** `HoltForecaster.seasonalTerms`' output, reused by every `riskInput` call. */
const seasonalTerms = new Float64Array(3);

/** One options object per warm-up length, so every server's detectors share its resolved layout. */
const detectorOptions = new Map<number, Partial<DetectorOptions>>();

/**
 * A server's anomaly detectors, their state in one buffer (a view of doubles, one of bytes): a few
 * objects per server instead of ~250 for the collector to visit (ADR 0023, fifth round).
 */
function packedDetectors(warmup: number): StreamingAnomalyDetector[] {
  let options = detectorOptions.get(warmup);
  if (!options) {
    options = { warmup };
    detectorOptions.set(warmup, options);
  }
  const size = StreamingAnomalyDetector.size(options);
  const n = ANOMALY_GROUPS.length;
  const buffer = new ArrayBuffer(n * (size.doubles * 8 + size.bytes));
  const doubles = new Float64Array(buffer, 0, n * size.doubles);
  const bytes = new Uint8Array(buffer, n * size.doubles * 8);
  return ANOMALY_GROUPS.map(
    (_, k) => new StreamingAnomalyDetector(options, { doubles, d: k * size.doubles, bytes, b: k * size.bytes }),
  );
}

/**
 * Everything the engine keeps about one server, updated in O(1) per record: the rolling window,
 * one forecaster per forecast group, the anomaly detectors, the sampling interval, the profile,
 * and the last assessment (cached by the monitor after each batch).
 */
export class ServerTracker {
  profile: ProfileName;
  private readonly namedProfile: boolean;
  lastMs = Number.NEGATIVE_INFINITY;
  lastTimestamp = "";
  offsetLess = true;
  intervalMs = DEFAULT_INTERVAL_MS;
  private intervals = 0;
  private oddIntervals = 0;
  readonly window: ServerWindow;
  readonly forecasters: HoltForecaster[];
  private readonly detectors: StreamingAnomalyDetector[];
  /** Latest detector score, held with exponential decay (see ModelParams.anomalyHalfLifeMinutes). */
  anomaly = 0;
  status: ServerStatus = "healthy";
  /** Latest raw values of the numeric groups, and of java_cpu_pct. */
  readonly current = new Float64Array(N_NUMERIC);
  javaCpu = 0;
  records = 0;
  private readonly sums = new Float64Array(5);

  /** Last assessment (see server-assessment.ts). */
  risk = 0;
  level: AlertLevel = "healthy";
  message: string | null = null;
  timeToIssueMinutes: number | null = null;
  pCritical30m = 0;
  pCritical8h = 0;
  /** Batch in which the server was last touched (so each is re-assessed once per batch). */
  batch = -1;
  /** Position in the monitor's list of servers (order first seen). */
  index = -1;
  /** Cached `"name":{prediction}` JSON (UTF-8): the first `jsonLength` bytes, valid while `records` and the model are those it was built at. */
  json: Buffer | null = null;
  jsonLength = 0;
  jsonRecords = -1;
  jsonModel = -1;
  /** Cached entry of the fleet's alert list (warning/critical), valid under the same rule as `json`. */
  alert: PredictionAlert | null = null;
  alertRecords = -1;
  alertModel = -1;

  constructor(
    readonly name: string,
    windowSize: number,
    rt: ModelRuntime,
  ) {
    const named = profileFromName(name);
    this.namedProfile = named !== undefined;
    this.profile = named ?? "Generic";
    this.window = new ServerWindow(windowSize);
    const seasonal = rt.params.profiles[this.profile].seasonal;
    // One buffer for the six forecasters' state (fewer objects for the collector to visit).
    const state = new Float64Array(FORECAST_GROUPS.length * HOLT_STATE);
    this.forecasters = FORECAST_GROUPS.map((g, i) => new HoltForecaster(seasonal[g], state, i * HOLT_STATE));
    this.detectors = packedDetectors(rt.params.anomalyWarmup);
  }

  /**
   * Adds a record at data time `ms` (> lastMs: the monitor drops stale and duplicate records first);
   * `offsetLess` tells how its timestamp was written (see data-time.ts).
   */
  observe(ms: number, offsetLess: boolean, r: MetricRecord, rt: ModelRuntime, date: Date): void {
    const steps = this.trackInterval(ms);
    this.records++;
    this.lastMs = ms;
    this.lastTimestamp = r.timestamp;
    this.offsetLess = offsetLess;
    this.status = r.status;
    this.javaCpu = r.java_cpu_pct;
    const x = this.current;
    writeNumericFeatures(r, x, 0);

    const p = rt.params;
    for (let g = 0; g < N_FORECAST; g++) {
      const f = this.forecasters[g]!;
      f.update(x[g]!, ms, steps, rt.smoothing[g]!, rt.tables[g]!, p.varianceAlpha, p.spreadAlpha);
    }

    date.setTime(ms);
    let score = 0;
    for (let k = 0; k < ANOMALY_GROUPS.length; k++) {
      score = Math.max(score, this.detectors[k]!.update(date, x[ANOMALY_GROUPS[k]!]!));
    }
    const decay = 0.5 ** ((steps * this.intervalMs) / (p.anomalyHalfLifeMinutes * 60_000));
    this.anomaly = Math.max(score, this.anomaly * decay);

    this.window.push(ms, x, this.anomaly, statusCode(r.status));
    if (!this.namedProfile && this.records <= PROFILE_INFERENCE_RECORDS) this.learnProfile(x);
  }

  /**
   * Estimates the sampling interval robustly: intervals within ½–2× the estimate refine it; five
   * odd ones in a row (the source changed its rate) replace it; gaps are returned as step counts.
   */
  private trackInterval(ms: number): number {
    if (!Number.isFinite(this.lastMs)) return 1;
    const dt = ms - this.lastMs;
    if (this.intervals++ === 0) this.intervalMs = dt;
    else if (dt >= this.intervalMs / 2 && dt <= this.intervalMs * 2) {
      this.intervalMs += 0.1 * (dt - this.intervalMs);
      this.oddIntervals = 0;
    } else if (++this.oddIntervals >= 5) {
      this.intervalMs = dt;
      this.oddIntervals = 0;
    }
    return Math.max(1, Math.round(dt / this.intervalMs));
  }

  private learnProfile(x: Float64Array): void {
    const s = this.sums;
    s[0]! += x[G_CPU]!;
    s[1]! += x[G_MEMORY]!;
    s[2]! += x[G_IOWAIT]!;
    s[3]! += x[6]!;
    s[4]! += this.javaCpu;
    if (this.records < PROFILE_INFERENCE_RECORDS) return;
    const n = this.records;
    const cpu = s[0]! / n;
    this.profile = profileFromMetrics({
      cpu,
      memory: s[1]! / n,
      iowait: s[2]! / n,
      network: s[3]! / n,
      javaShare: cpu > 0 ? s[4]! / n / cpu : 0,
    });
  }

  /** Fills the risk function's input from the current state (see RiskInput). */
  riskInput(out: RiskInput): RiskInput {
    const slot = hourSlot(this.lastMs);
    const slot30 = hourSlot(this.lastMs + MS_30M);
    const t = seasonalTerms;
    for (let g = 0; g < N_FORECAST; g++) {
      const f = this.forecasters[g]!;
      f.seasonalTerms(slot, slot30, t);
      out.value[g] = t[0]!;
      out.trend[g] = f.trend;
      out.sigma[g] = Math.sqrt(f.errVar);
      out.spread[g] = Math.sqrt(f.longVar);
      out.lift30[g] = t[1]!;
      out.lift8h[g] = t[2]!;
    }
    for (let g = N_FORECAST; g < N_NUMERIC; g++) out.value[g] = this.current[g]!;
    out.anomaly = this.anomaly;
    out.status = this.status;
    return out;
  }

  /** Points the risk function at this server's profile and horizons. */
  riskContext(rt: ModelRuntime, out: RiskContext): RiskContext {
    // Horizons in this server's sampling steps: 30 minutes, and 16 times that (8 hours).
    const steps30 = Math.max(1, Math.round(MS_30M / this.intervalMs));
    out.thresholds = rt.thresholds[this.profile];
    out.groupWeight = rt.groupWeight;
    out.weights = rt.params.weights;
    out.tables = rt.tables;
    out.steps30 = steps30;
    out.steps8h = steps30 * 16;
    return out;
  }
}
