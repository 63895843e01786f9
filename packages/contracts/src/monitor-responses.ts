import { z } from "zod";
import { AlertLevel, TimeRange } from "./monitor.js";

/**
 * Seed 004 (predictive monitor) response shapes: the engine, the history store and the training
 * service produce these types and the routes declare these schemas. Field order is wire order:
 * the response serialiser writes keys in schema order.
 */

/** `GET /status`; fields after `warmup_complete` extend the seed. */
export const MonitorStatus = z.object({
  model_loaded: z.boolean(),
  model_path: z.string(),
  model_version: z.number().int(),
  rolling_window_size: z.number().int(),
  servers_tracked: z.number().int(),
  last_prediction: z.string().nullable(),
  uptime_seconds: z.number(),
  warmup_complete: z.boolean(),
  records_received: z.number().int(),
  samples_stored: z.number().int(),
  samples_dropped: z.number().int(),
  /** The part of `samples_dropped` whose store write failed (not the queue's bound). */
  samples_failed: z.number().int(),
  proactive_incidents: z.number().int(),
});
export type MonitorStatus = z.infer<typeof MonitorStatus>;

/** `POST /feed/data`. */
export const FeedAccepted = z.object({
  status: z.enum(["accepted", "warming_up"]),
  records_received: z.number().int(),
  tick: z.number().int(),
  rolling_window_size: z.number().int(),
  warmup_complete: z.boolean(),
  progress: z.string().optional(),
  alert_events: z.number().int(),
});
export type FeedAccepted = z.infer<typeof FeedAccepted>;

export const AlertBadge = z.object({
  level: AlertLevel,
  score: z.number(),
  color: z.string(),
  emoji: z.string(),
  label: z.string(),
});
export type AlertBadge = z.infer<typeof AlertBadge>;

/** One server in `GET /predictions/current`. */
export const ServerPrediction = z.object({
  risk_score: z.number(),
  profile: z.string(),
  alert: AlertBadge,
  display_metrics: z.object({ cpu: z.string(), memory: z.string(), disk_io: z.string() }).catchall(z.string()),
  forecast: z
    .object({ cpu_pct: z.array(z.number()), mem_pct: z.array(z.number()), timestamps: z.array(z.string()) })
    .catchall(z.union([z.array(z.number()), z.array(z.string())])),
  /** Extensions beyond the seed. */
  anomaly_score: z.number(),
  /** Human sentence for the most urgent predicted breach, if any ("Memory exhaustion predicted in 45 minutes"). */
  message: z.string().nullable(),
  /** Minutes until the first forecast threshold breach, null if none within the horizon. */
  time_to_issue_minutes: z.number().nullable(),
  last_seen: z.string(),
});
export type ServerPrediction = z.infer<typeof ServerPrediction>;

export const FleetSummary = z.object({
  total_servers: z.number().int(),
  critical: z.number().int(),
  warning: z.number().int(),
  degraded: z.number().int(),
  healthy: z.number().int(),
  fleet_health: z.number(),
  prob_30m: z.number(),
  prob_8h: z.number(),
});
export type FleetSummary = z.infer<typeof FleetSummary>;

export const PredictionAlert = z.object({
  server_name: z.string(),
  level: AlertLevel,
  risk_score: z.number(),
  profile: z.string(),
  message: z.string(),
  time_to_issue: z.string().nullable(),
});
export type PredictionAlert = z.infer<typeof PredictionAlert>;

/** `GET /predictions/current` after warm-up. */
export const FleetPredictions = z.object({
  predictions: z.record(z.string(), ServerPrediction),
  summary: FleetSummary,
  alerts: z.array(PredictionAlert),
  timestamp: z.string(),
});
export type FleetPredictions = z.infer<typeof FleetPredictions>;

/**
 * Added query parameters of `GET /predictions/current` (none: the seed's full map). `view=summary`
 * answers `PredictionsSummaryView`; any of `limit`, `cursor`, `risk_min`, `server_id` answers a
 * `PredictionsPage`.
 */
export const PredictionsQuery = z.object({
  view: z.enum(["full", "summary"]).optional(),
  /** `view=summary` only: the highest-risk alerts listed (0–10000; default `SUMMARY_ALERTS_LIMIT`). */
  alerts_limit: z.coerce.number().int().min(0).max(10_000).optional(),
  /** Servers per page (1–1000; 100 when paging without it). */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  /** `next_cursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, "a next_cursor of an earlier page")
    .optional(),
  /** Only servers with `risk_score` ≥ this (0–100). */
  risk_min: z.coerce.number().min(0).max(100).optional(),
  /** Only these servers (comma-separated names, at most 1000). */
  server_id: z
    .string()
    .min(1)
    .max(200_000)
    .refine((v) => v.split(",").length <= 1000, "at most 1000 names")
    .optional(),
});
export type PredictionsQuery = z.infer<typeof PredictionsQuery>;

/** Alerts listed by `view=summary` when the query gives no `alerts_limit` (the fleet's riskiest first). */
export const SUMMARY_ALERTS_LIMIT = 100;

/**
 * `GET /predictions/current?view=summary`: the seed's payload without `predictions`, its `alerts`
 * capped at `alerts_limit` (highest risk first); `alerts_total` counts them all.
 */
export const PredictionsSummaryView = FleetPredictions.omit({ predictions: true }).extend({
  /** Servers at warning or critical (the length of the uncapped `alerts`). */
  alerts_total: z.number().int(),
});
export type PredictionsSummaryView = z.infer<typeof PredictionsSummaryView>;

/** `GET /predictions/current?limit=…`: one page of the map (servers in the order first seen), with the fleet summary. */
export const PredictionsPage = z.object({
  predictions: z.record(z.string(), ServerPrediction),
  summary: FleetSummary,
  timestamp: z.string(),
  /** Servers in this page. */
  count: z.number().int(),
  /** Pass as `cursor` for the next page; null when this is the last. */
  next_cursor: z.string().nullable(),
});
export type PredictionsPage = z.infer<typeof PredictionsPage>;

/** `GET /alerts/active`. */
export const ActiveAlerts = z.object({
  timestamp: z.string(),
  count: z.number().int(),
  alerts: z.array(PredictionAlert),
});
export type ActiveAlerts = z.infer<typeof ActiveAlerts>;

/** `GET /explain/{server_name}`. */
export const Explanation = z.object({
  server_name: z.string(),
  prediction: z.object({ risk_score: z.number(), alert_level: AlertLevel }),
  shap: z.object({
    /** Attributions of the risk function; `contribution` values sum to risk − baseline risk. */
    top_features: z.array(
      z.object({ feature: z.string(), importance: z.number(), stars: z.string(), contribution: z.number() }),
    ),
    baseline_risk: z.number(),
  }),
  attention: z.object({ focus_periods: z.array(z.string()), analysis: z.string() }),
  counterfactuals: z.array(
    z.object({ scenario: z.string(), impact: z.string(), recommendation: z.string(), risk_after: z.number() }),
  ),
});
export type Explanation = z.infer<typeof Explanation>;

/** A change of a server's alert level, in data time. */
export const AlertEvent = z.object({
  timestamp: z.string(),
  server_name: z.string(),
  profile: z.string(),
  /** raised: healthy→non-healthy; escalated/deescalated: between non-healthy levels; resolved: back to healthy. */
  event_type: z.enum(["raised", "escalated", "deescalated", "resolved"]),
  previous_level: AlertLevel,
  new_level: AlertLevel,
  risk_score: z.number(),
  message: z.string().nullable(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;

/** An alert event as `/historical/alerts` lists it, with when its episode resolved. */
export const StoredAlertEvent = AlertEvent.extend({
  resolved_at: z.string().nullable(),
  resolution_duration_minutes: z.number().nullable(),
});
export type StoredAlertEvent = z.infer<typeof StoredAlertEvent>;

/** `/historical/summary` without the envelope. */
export const HistorySummary = z.object({
  /** Events that put a server at a non-healthy level (raised, escalated, de-escalated): the sum of `alerts_by_level`. */
  total_alerts: z.number().int(),
  alerts_by_level: z.object({ critical: z.number(), warning: z.number(), degraded: z.number() }),
  /** Mean time from a server's `raised` event to its `resolved` one, over episodes raised in the range and resolved; null if none. */
  avg_resolution_time_minutes: z.number().nullable(),
  /**
   * Episodes raised in the range that resolved without the server ever reaching critical: the
   * early warning came and the risk went away before it became an outage. This counts the
   * warnings that did not turn into critical alerts, not outages proven avoided.
   */
  incidents_prevented: z.number().int(),
  /** Mean `fleet_health` of the snapshots in the range; null without snapshots. */
  fleet_health_avg: z.number().nullable(),
});
export type HistorySummary = z.infer<typeof HistorySummary>;

/** `/historical/server/{name}` without the envelope. */
export const ServerHistory = z.object({
  server_name: z.string(),
  /** Non-resolved events of the server in the range. */
  alert_count: z.number().int(),
  /** Time-weighted mean risk over the observed part of the range (the risk of a level change holds until the next). */
  avg_risk_score: z.number(),
  max_risk_score: z.number(),
  time_in_warning_pct: z.number(),
  time_in_critical_pct: z.number(),
  /** Time-weighted mean risk of the second half of the observed window against the first (±5 points is stable). */
  risk_trend: z.enum(["improving", "stable", "degrading"]),
});
export type ServerHistory = z.infer<typeof ServerHistory>;

export const EnvironmentSnapshot = z.object({
  timestamp: z.string(),
  total_servers: z.number().int(),
  critical_count: z.number().int(),
  warning_count: z.number().int(),
  degraded_count: z.number().int(),
  healthy_count: z.number().int(),
  fleet_health: z.number(),
  prob_30m: z.number(),
  prob_8h: z.number(),
});
export type EnvironmentSnapshot = z.infer<typeof EnvironmentSnapshot>;

export const ExportTable = z.enum(["alerts", "environment"]);
export type ExportTable = z.infer<typeof ExportTable>;

const historyEnvelope = { success: z.literal(true), time_range: TimeRange };

/** `GET /historical/summary`. */
export const HistorySummaryResponse = z.object({ ...historyEnvelope, ...HistorySummary.shape });

/** `GET /historical/alerts`. */
export const HistoryAlertsResponse = z.object({
  ...historyEnvelope,
  count: z.number().int(),
  alerts: z.array(StoredAlertEvent),
});

/** `GET /historical/server/{server_name}`: the server's name comes before the range. */
export const ServerHistoryResponse = z.object({
  success: z.literal(true),
  server_name: z.string(),
  time_range: TimeRange,
  ...ServerHistory.omit({ server_name: true }).shape,
});

/** `GET /historical/environment`. */
export const EnvironmentHistoryResponse = z.object({
  ...historyEnvelope,
  count: z.number().int(),
  snapshots: z.array(EnvironmentSnapshot),
});

/** `GET /historical/export/{table}`. */
export const HistoryExportResponse = z.object({
  success: z.literal(true),
  table: ExportTable,
  time_range: TimeRange,
  csv_data: z.string(),
  filename: z.string(),
});

/** `GET /admin/models`. */
export const ModelList = z.object({
  models: z.array(
    z.object({ name: z.string(), path: z.string(), created: z.string(), size_mb: z.number(), is_current: z.boolean() }),
  ),
  current_model: z.string().nullable(),
});
export type ModelList = z.infer<typeof ModelList>;

/** `POST /admin/reload-model`. */
export const ReloadModelResponse = z.object({ success: z.literal(true), model: z.string(), message: z.string() });

export const TrainingState = z.enum(["running", "succeeded", "failed", "cancelled"]);
export type TrainingState = z.infer<typeof TrainingState>;

/** What starting a training answers, inside `POST /admin/trigger-training`. */
export const TriggerResult = z.object({
  training_id: z.string(),
  epochs: z.number().int(),
  incremental: z.boolean(),
});
export type TriggerResult = z.infer<typeof TriggerResult>;

/** `POST /admin/trigger-training`. */
export const TriggerTrainingResponse = z.object({
  success: z.literal(true),
  training_id: z.string(),
  message: z.string(),
  epochs: z.number().int(),
  incremental: z.boolean(),
});

/** `GET /admin/training-status`; fields after `progress` extend the seed. */
export const TrainingStatus = z.object({
  training_active: z.boolean(),
  training_id: z.string().nullable(),
  progress: z
    .object({
      epoch: z.number().int(),
      total_epochs: z.number().int(),
      percent: z.number(),
      eta_minutes: z.number().nullable(),
    })
    .nullable(),
  status: TrainingState.nullable(),
  loss: z.number().nullable(),
  error: z.string().nullable(),
  model_name: z.string().nullable(),
});
export type TrainingStatus = z.infer<typeof TrainingStatus>;

/** `GET /admin/training-stats`. */
export const TrainingStats = z.object({
  /** Start of the most recent training, any outcome. */
  last_training: z.string().nullable(),
  total_trainings: z.number().int(),
  /** Mean duration of succeeded trainings; null before the first. */
  avg_training_time_minutes: z.number().nullable(),
  models_produced: z.number().int(),
});
export type TrainingStats = z.infer<typeof TrainingStats>;

/** `POST /admin/cancel-training`. */
export const CancelTrainingResponse = z.object({ success: z.boolean(), message: z.string() });
