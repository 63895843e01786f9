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

/** The seed's `/predictions/current` without the per-server map. */
export type FleetOverview = Omit<FleetPredictions, "predictions">;
export type FleetHeadline = Pick<FleetPredictions, "summary" | "timestamp">;

export interface FleetMonitor {
  readonly windowSize: number;
  readonly warmupRecords: number;
  readonly recordCount: number;
  readonly serversTracked: number;
  readonly lastPrediction: string | null;
  readonly model: MonitorModel;
  ingest(records: readonly MetricRecord[]): IngestResult;
  /** Changes with every accepted record and every model swap. */
  readonly version: number;
  /** The whole payload at once (tests, small fleets); the route serialises it in slices instead. */
  predictions(): FleetPredictions;
  /** Summary, alerts and timestamp without the per-server map (cheap, cached). */
  overview(): FleetOverview;
  /** Summary and timestamp alone (no alert list; cheaper still, cached). */
  fleetSummary(): FleetHeadline;
  prediction(serverName: string): ServerPrediction | undefined;
  /** Servers in the order first seen (0 ≤ i < serversTracked; stable, servers are never removed). */
  serverNameAt(i: number): string | undefined;
  riskAt(i: number): number;
  indexOf(serverName: string): number;
  /** Byte length of the i-th server's `"name":{prediction}` as UTF-8 JSON, serialised if it changed. */
  predictionLengthAt(i: number): number;
  /** Copies those bytes, as last serialised, into `target` at `at`; returns their length. */
  copyPredictionAt(i: number, target: Buffer, at: number): number;
  explain(serverName: string): Explanation | undefined;
  /** Swap the fitted parameters without losing the rolling windows. */
  setModel(model: MonitorModel): void;
}
