import type { AlertLevel, MetricRecord } from "@aegis/contracts";

/**
 * The predictive monitor's port (seed 004, Tachyon Argus): what the HTTP routes, the history
 * recorder, the proactive-incident bridge and the training worker see of the engine.
 * Output shapes mirror the seed's JSON so routes pass them through unchanged.
 */

/** A fitted parameter set: the monitor's "model". Serialisable as JSON; `version` names it. */
export interface MonitorModel {
  name: string;
  version: number;
  created: string;
  /** Engine-owned fitted parameters (opaque outside `monitor/engine`). */
  params: Record<string, unknown>;
}

export interface AlertBadge {
  level: AlertLevel;
  score: number;
  color: string;
  emoji: string;
  label: string;
}

export interface ServerPrediction {
  risk_score: number;
  profile: string;
  alert: AlertBadge;
  display_metrics: { cpu: string; memory: string; disk_io: string; [k: string]: string };
  forecast: { cpu_pct: number[]; mem_pct: number[]; timestamps: string[]; [k: string]: number[] | string[] };
  /** Extensions beyond the seed. */
  anomaly_score: number;
  /** Human sentence for the most urgent predicted breach, if any ("Memory exhaustion predicted in 45 minutes"). */
  message: string | null;
  /** Minutes until the first forecast threshold breach, null if none within the horizon. */
  time_to_issue_minutes: number | null;
  last_seen: string;
}

export interface FleetSummary {
  total_servers: number;
  critical: number;
  warning: number;
  degraded: number;
  healthy: number;
  fleet_health: number;
  prob_30m: number;
  prob_8h: number;
}

export interface PredictionAlert {
  server_name: string;
  level: AlertLevel;
  risk_score: number;
  profile: string;
  message: string;
  time_to_issue: string | null;
}

export interface FleetPredictions {
  predictions: Record<string, ServerPrediction>;
  summary: FleetSummary;
  alerts: PredictionAlert[];
  timestamp: string;
}

export interface Explanation {
  server_name: string;
  prediction: { risk_score: number; alert_level: AlertLevel };
  shap: {
    /** Attributions of the risk function; `contribution` values sum to risk − baseline risk. */
    top_features: { feature: string; importance: number; stars: string; contribution: number }[];
    baseline_risk: number;
  };
  attention: { focus_periods: string[]; analysis: string };
  counterfactuals: { scenario: string; impact: string; recommendation: string; risk_after: number }[];
}

/** A change of a server's alert level, in data time. */
export interface AlertEvent {
  timestamp: string;
  server_name: string;
  profile: string;
  /** raised: healthy→non-healthy; escalated/deescalated: between non-healthy levels; resolved: back to healthy. */
  event_type: "raised" | "escalated" | "deescalated" | "resolved";
  previous_level: AlertLevel;
  new_level: AlertLevel;
  risk_score: number;
  message: string | null;
}

export interface IngestResult {
  accepted: number;
  /** Total records ingested since start (the seed's `tick`). */
  tick: number;
  warmup_complete: boolean;
  /** Level changes caused by this batch. */
  events: AlertEvent[];
}

export interface FleetMonitor {
  readonly windowSize: number;
  readonly warmupRecords: number;
  readonly recordCount: number;
  readonly serversTracked: number;
  readonly lastPrediction: string | null;
  readonly model: MonitorModel;
  ingest(records: readonly MetricRecord[]): IngestResult;
  predictions(): FleetPredictions;
  explain(serverName: string): Explanation | undefined;
  /** Swap the fitted parameters without losing the rolling windows. */
  setModel(model: MonitorModel): void;
}
