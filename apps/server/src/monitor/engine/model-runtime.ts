import type { MonitorModel } from "../monitor-types.js";
import { CRITICAL_RISK } from "./alert-level.js";
import { ForecastTables } from "./holt-forecaster.js";
import {
  type ModelParams,
  paramsOf,
  type SmoothingParams,
  type Thresholds,
  thresholdsByIndex,
} from "./model-params.js";
import { FORECAST_GROUPS, NUMERIC_GROUPS } from "./risk-features.js";
import { PROFILES, type ProfileName } from "./server-profile.js";

/**
 * A model's parameters unpacked for the hot path: per-profile thresholds by group index, the
 * forecast lookup tables per metric, group weights as a typed array. Built once per `setModel`.
 */
export class ModelRuntime {
  readonly params: ModelParams;
  readonly thresholds: Record<ProfileName, Thresholds[]>;
  readonly tables: ForecastTables[];
  /** Smoothing factors by forecast group index. */
  readonly smoothing: SmoothingParams[];
  readonly groupWeight: Float64Array;
  /** Forecast groups whose breach alone makes a server critical (weight ≥ CRITICAL_RISK/100): they define "hits critical". */
  readonly criticalGroups: number[];

  constructor(readonly model: MonitorModel) {
    this.params = paramsOf(model);
    const p = this.params;
    this.thresholds = {} as Record<ProfileName, Thresholds[]>;
    for (const name of PROFILES) this.thresholds[name] = thresholdsByIndex(p.profiles[name]);
    this.smoothing = FORECAST_GROUPS.map((g) => p.smoothing[g]);
    this.tables = this.smoothing.map((sp) => new ForecastTables(sp));
    this.groupWeight = Float64Array.from(NUMERIC_GROUPS.map((g) => p.weights.group[g]));
    this.criticalGroups = FORECAST_GROUPS.map((_, i) => i).filter((i) => this.groupWeight[i]! >= CRITICAL_RISK / 100);
  }
}
