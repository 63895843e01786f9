import type {
  AlertBadge,
  AlertEvent,
  Explanation,
  FleetPredictions,
  FleetSummary,
  MetricRecord,
  PredictionAlert,
  ServerPrediction,
} from "@aegis/contracts";

// The seed-004 output shapes are owned by the contracts (the routes declare the same schemas); the engine's modules import them here.
export type { AlertBadge, AlertEvent, Explanation, FleetPredictions, FleetSummary, PredictionAlert, ServerPrediction };

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
