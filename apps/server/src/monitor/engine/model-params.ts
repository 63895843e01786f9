import type { ServerStatus } from "@aegis/contracts";
import type { MonitorModel } from "../monitor-types.js";
import { FORECAST_GROUPS, type ForecastGroup, NUMERIC_GROUPS, type NumericGroup } from "./risk-features.js";
import { PROFILES, type ProfileName } from "./server-profile.js";

/** Operating points of one metric for one profile. */
export interface Thresholds {
  /** Healthy operating point (fitted: median of healthy records); the Shapley baseline. */
  normal: number;
  /** Sustained value at which the server is in "warning". */
  warn: number;
  /** Danger threshold: exhaustion/saturation; forecasts are judged against it. */
  crit: number;
  /** Typical healthy variability (fitted: 1.4826·MAD); the baseline's forecast noise. */
  scale: number;
}

export interface ProfileParams {
  thresholds: Record<NumericGroup, Thresholds>;
  /** Fitted hour-of-day offsets (24, UTC data time) that seed a new server's seasonal profile. */
  seasonal: Partial<Record<ForecastGroup, number[]>>;
}

/** Damped Holt with additive hour-of-day seasonality (see holt-forecaster.ts); γ is per completed day. */
export interface SmoothingParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

export interface RiskWeights {
  /** How much a fully breached metric weighs in the noisy-or (1 would make any breach 100). */
  group: Record<NumericGroup, number>;
  /** Severity of a metric sitting exactly at its warning threshold (0..1; 1 at crit). */
  warnSeverity: number;
  /** Multipliers of the breach probability within 30 minutes and within 8 hours. */
  breach30m: number;
  breach8h: number;
  /** Weight of a maximal anomaly, and the detector score below which anomaly counts 0. */
  anomaly: number;
  anomalyFloor: number;
  /** Hazard of each reported status (independent of the metrics). */
  status: Record<ServerStatus, number>;
}

export interface ModelParams {
  profiles: Record<ProfileName, ProfileParams>;
  smoothing: Record<ForecastGroup, SmoothingParams>;
  weights: RiskWeights;
  /** EW factor of the one-step residual variance (prediction intervals). */
  varianceAlpha: number;
  /** EW factor of the long-run spread that caps the interval width of mean-reverting metrics. */
  spreadAlpha: number;
  /** Anomaly scores are held and decay with this half-life, so a burst keeps counting for a while. */
  anomalyHalfLifeMinutes: number;
  /** Points each anomaly detector learns before it scores. */
  anomalyWarmup: number;
}

const th = (normal: number, warn: number, crit: number, scale: number): Thresholds => ({ normal, warn, crit, scale });

/** Generic thresholds; each profile overrides where its role differs (databases live at high memory, etc.). */
const GENERIC: Record<NumericGroup, Thresholds> = {
  cpu: th(30, 80, 95, 8),
  memory: th(50, 85, 95, 5),
  swap: th(2, 30, 60, 2),
  disk: th(50, 85, 95, 2),
  iowait: th(2, 15, 30, 1.5),
  load: th(2, 8, 16, 1),
  network: th(10, 200, 500, 5),
  close_wait: th(5, 100, 400, 4),
};

const OVERRIDES: Record<ProfileName, Partial<Record<NumericGroup, Thresholds>>> = {
  Database: { memory: th(75, 92, 97, 4), iowait: th(5, 20, 40, 2), disk: th(60, 85, 95, 2) },
  "Web Server": { cpu: th(35, 80, 95, 10), network: th(30, 300, 800, 10), close_wait: th(10, 200, 800, 8) },
  "ML Compute": { cpu: th(70, 95, 99, 10), memory: th(70, 92, 97, 6), load: th(8, 24, 48, 3) },
  "Conductor Mgmt": { close_wait: th(8, 150, 600, 6) },
  "Data Ingest": { network: th(50, 400, 900, 15), iowait: th(5, 20, 40, 2), disk: th(55, 85, 95, 3) },
  "Risk Analytics": { cpu: th(55, 90, 98, 12), memory: th(65, 90, 96, 5), load: th(6, 20, 40, 3) },
  Generic: {},
};

function defaultProfiles(): Record<ProfileName, ProfileParams> {
  const out = {} as Record<ProfileName, ProfileParams>;
  for (const p of PROFILES) out[p] = { thresholds: { ...structuredClone(GENERIC), ...OVERRIDES[p] }, seasonal: {} };
  return out;
}

function defaultSmoothing(): Record<ForecastGroup, SmoothingParams> {
  const out = {} as Record<ForecastGroup, SmoothingParams>;
  for (const g of FORECAST_GROUPS) out[g] = { alpha: 0.3, beta: 0.05, gamma: 0.3, phi: 0.9995 };
  return out;
}

export function defaultParams(): ModelParams {
  return {
    profiles: defaultProfiles(),
    smoothing: defaultSmoothing(),
    weights: {
      group: {
        cpu: 0.85,
        memory: 0.9,
        swap: 0.6,
        disk: 0.9,
        iowait: 0.65,
        load: 0.65,
        network: 0.55,
        close_wait: 0.55,
      },
      warnSeverity: 0.7,
      breach30m: 0.95,
      breach8h: 0.7,
      anomaly: 0.4,
      anomalyFloor: 0.5,
      status: {
        healthy: 0,
        idle: 0,
        maintenance: 0,
        morning_spike: 0.1,
        recovery: 0.25,
        heavy_load: 0.55,
        offline: 0.85,
        critical_issue: 0.9,
      },
    },
    varianceAlpha: 0.02,
    spreadAlpha: 0.005,
    anomalyHalfLifeMinutes: 30,
    anomalyWarmup: 100,
  };
}

/** The untrained model: the hand-set operating points above, version 0. */
export const DEFAULT_MODEL: MonitorModel = Object.freeze({
  name: "argus_model_default",
  version: 0,
  created: "1970-01-01T00:00:00.000Z",
  params: defaultParams() as unknown as Record<string, unknown>,
});

/**
 * Reads a model's opaque params over the defaults: every known number is taken when finite,
 * anything else keeps its default. Persisted models from older engines therefore still load, and
 * a hand-edited JSON cannot put NaN into the risk function.
 */
export function paramsOf(model: MonitorModel): ModelParams {
  const params = overlay(defaultParams(), model.params) as ModelParams;
  for (const p of PROFILES) params.profiles[p].seasonal = readSeasonal(model.params, p);
  return params;
}

function overlay(defaults: unknown, raw: unknown): unknown {
  if (typeof defaults === "number") return typeof raw === "number" && Number.isFinite(raw) ? raw : defaults;
  if (defaults === null || typeof defaults !== "object" || Array.isArray(defaults)) return defaults;
  const src = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(defaults)) out[k] = overlay(v, src[k]);
  return out;
}

function readSeasonal(raw: Record<string, unknown>, profile: ProfileName): Partial<Record<ForecastGroup, number[]>> {
  const seasonal = (raw.profiles as Record<string, { seasonal?: Record<string, unknown> }> | undefined)?.[profile]
    ?.seasonal;
  const out: Partial<Record<ForecastGroup, number[]>> = {};
  for (const g of FORECAST_GROUPS) {
    const s = seasonal?.[g];
    if (Array.isArray(s) && s.length === 24 && s.every((x) => typeof x === "number" && Number.isFinite(x))) out[g] = s;
  }
  return out;
}

/** The numeric groups in index order, for code that walks thresholds by index. */
export function thresholdsByIndex(profile: ProfileParams): Thresholds[] {
  return NUMERIC_GROUPS.map((g) => profile.thresholds[g]);
}
