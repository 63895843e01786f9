import type { AlertLevel, MetricRecord } from "@aegis/contracts";
import type {
  AlertEvent,
  Explanation,
  FleetHeadline,
  FleetMonitor,
  FleetOverview,
  FleetPredictions,
  IngestResult,
  MonitorModel,
  PredictionAlert,
  ServerPrediction,
} from "../monitor-types.js";
import { roundRisk, severityRank } from "./alert-level.js";
import { alertsByRisk } from "./alerts-by-risk.js";
import { formatDuration } from "./breach-message.js";
import { formatDataTime, isOffsetLess, parseDataTime } from "./data-time.js";
import { explainServer } from "./explain-server.js";
import { JsonBytes } from "./json-bytes.js";
import { DEFAULT_MODEL } from "./model-params.js";
import { ModelRuntime } from "./model-runtime.js";
import type { RiskContext } from "./risk-function.js";
import { assessServer, newRiskContext } from "./server-assessment.js";
import { ForecastAxes, round3, serverPrediction, writeServerPrediction } from "./server-prediction.js";
import { ServerTracker } from "./server-tracker.js";

export interface ArgusFleetMonitorOptions {
  model?: MonitorModel;
  /** Points kept per server (seed: 2,880 = 10 days of 5-minute samples). */
  windowSize?: number;
  /** Records (fleet-wide) before predictions are considered warmed up (seed: 100). */
  warmupRecords?: number;
}

/**
 * The predictive monitor (seed 004, Tachyon Argus) as a pure in-memory engine.
 *
 * - `ingest` is O(1) per record (forecasters, anomaly detectors and ring buffer update in place);
 *   each server touched by a batch is re-assessed once at the end of the batch, and its level
 *   change, if any, is returned as an AlertEvent.
 * - Per server, records must arrive in time order: a record whose timestamp is not after the
 *   server's last one (a duplicate or out-of-order record) is dropped and not counted, so replays
 *   and retries cannot corrupt the forecasters. Other servers in the same batch are unaffected.
 * - All times are data time (record timestamps), never the wall clock.
 * - `overview()` is cached until the next ingest that accepts a record, or `setModel`; each server's
 *   prediction JSON until that server takes a record (or `setModel`).
 */
export class ArgusFleetMonitor implements FleetMonitor {
  readonly windowSize: number;
  readonly warmupRecords: number;
  private rt: ModelRuntime;
  private ctx: RiskContext;
  private readonly servers = new Map<string, ServerTracker>();
  /** The same trackers in the order first seen (`ServerTracker.index`). */
  private readonly list: ServerTracker[] = [];
  private count = 0;
  private stateVersion = 0;
  private modelGen = 0;
  private overviewCache: { version: number; value: FleetOverview } | undefined;
  private summaryCache: { version: number; value: FleetHeadline } | undefined;
  private readonly axes = new ForecastAxes();
  /** Where a server's prediction JSON is written before it is copied to the server's own bytes. */
  private readonly out = new JsonBytes();
  private serialised = 0;
  private batchNo = 0;
  private latestMs = Number.NEGATIVE_INFINITY;
  private latestOffsetLess = true;
  private predictedAt: string | null = null;
  /** Reused for the anomaly detectors' timestamp argument (no allocation per record). */
  private readonly date = new Date(0);

  constructor(opts: ArgusFleetMonitorOptions = {}) {
    this.windowSize = opts.windowSize ?? 2880;
    this.warmupRecords = opts.warmupRecords ?? 100;
    if (!Number.isInteger(this.windowSize) || this.windowSize < 1) throw new RangeError("windowSize must be ≥ 1");
    this.rt = new ModelRuntime(opts.model ?? DEFAULT_MODEL);
    this.ctx = newRiskContext(this.rt);
  }

  get recordCount(): number {
    return this.count;
  }

  get serversTracked(): number {
    return this.servers.size;
  }

  /** Data time of the latest records when `predictions()` was last computed. */
  get lastPrediction(): string | null {
    return this.predictedAt;
  }

  get model(): MonitorModel {
    return this.rt.model;
  }

  /** The fitted parameters take effect at once: every server is re-assessed (no events). */
  setModel(model: MonitorModel): void {
    this.rt = new ModelRuntime(model);
    this.ctx = newRiskContext(this.rt);
    for (const s of this.list) assessServer(s, this.rt, this.ctx);
    this.modelGen++;
    this.stateVersion++;
  }

  ingest(records: readonly MetricRecord[]): IngestResult {
    const batch = ++this.batchNo;
    const touched: ServerTracker[] = [];
    const before: AlertLevel[] = [];
    let accepted = 0;
    let prevTs = "";
    let prevMs = Number.NaN;
    let offsetLess = true;
    for (const r of records) {
      // Fleet batches share timestamps: parse each distinct string once.
      if (r.timestamp !== prevTs) {
        prevTs = r.timestamp;
        prevMs = parseDataTime(prevTs);
        offsetLess = isOffsetLess(prevTs);
      }
      const ms = prevMs;
      if (!Number.isFinite(ms)) continue;
      let s = this.servers.get(r.server_name);
      if (s === undefined) {
        s = new ServerTracker(r.server_name, this.windowSize, this.rt);
        s.index = this.list.length;
        this.servers.set(r.server_name, s);
        this.list.push(s);
      }
      if (ms <= s.lastMs) continue;
      if (s.batch !== batch) {
        s.batch = batch;
        touched.push(s);
        before.push(s.level);
      }
      s.observe(ms, offsetLess, r, this.rt, this.date);
      accepted++;
      if (ms > this.latestMs) {
        this.latestMs = ms;
        this.latestOffsetLess = s.offsetLess;
      }
    }
    this.count += accepted;
    if (accepted > 0) this.stateVersion++;

    const events: AlertEvent[] = [];
    for (let i = 0; i < touched.length; i++) {
      const s = touched[i]!;
      assessServer(s, this.rt, this.ctx);
      const previous = before[i]!;
      if (s.level !== previous) events.push(levelChange(s, previous));
    }
    return { accepted, tick: this.count, warmup_complete: this.count >= this.warmupRecords, events };
  }

  /**
   * The fleet's summary and timestamp (the seed's `summary`, `timestamp`): O(servers) scalar work,
   * cached until the next accepted record or model. `fleet_health` is the mean of (100 − risk) over the
   * servers (100 = every server at its healthy reference); `prob_30m`/`prob_8h` are the chance that at
   * least one server becomes critical within 30 minutes / 8 hours, 1 − ∏(1 − p_s), treating servers as
   * independent (a server already critical counts as p_s = 1). A page of the map needs only this: a
   * reader polling pages while records arrive no longer builds the alert list (thousands of entries,
   * sorted) on every read.
   */
  fleetSummary(): FleetHeadline {
    if (this.summaryCache && this.summaryCache.version === this.stateVersion) return this.summaryCache.value;
    const summary = {
      total_servers: 0,
      critical: 0,
      warning: 0,
      degraded: 0,
      healthy: 0,
      fleet_health: 100,
      prob_30m: 0,
      prob_8h: 0,
    };
    let health = 0;
    let survive30 = 1;
    let survive8h = 1;
    for (const s of this.list) {
      summary.total_servers++;
      summary[s.level]++;
      health += 100 - s.risk;
      survive30 *= 1 - s.pCritical30m;
      survive8h *= 1 - s.pCritical8h;
    }
    if (summary.total_servers > 0) summary.fleet_health = Math.round((health / summary.total_servers) * 10) / 10;
    summary.prob_30m = round3(1 - survive30);
    summary.prob_8h = round3(1 - survive8h);
    const timestamp = Number.isFinite(this.latestMs) ? formatDataTime(this.latestMs, this.latestOffsetLess) : "";
    this.predictedAt = timestamp || null;
    const value = { summary, timestamp };
    this.summaryCache = { version: this.stateVersion, value };
    return value;
  }

  /**
   * `fleetSummary()` with the alerts: the servers at warning or critical, by risk, without the
   * per-server forecasts; cached until the next accepted record or model.
   */
  overview(): FleetOverview {
    if (this.overviewCache && this.overviewCache.version === this.stateVersion) return this.overviewCache.value;
    const { summary, timestamp } = this.fleetSummary();
    const alerts: PredictionAlert[] = [];
    for (const s of this.list) if (s.level === "critical" || s.level === "warning") alerts.push(this.alertOf(s));
    const value = { summary, alerts: alertsByRisk(alerts), timestamp };
    this.overviewCache = { version: this.stateVersion, value };
    return value;
  }

  /**
   * The seed's /predictions/current payload, built at once (see `predictionBytesAt` and
   * fleet-predictions-json.ts for the form the HTTP route serialises in slices).
   */
  predictions(): FleetPredictions {
    const { summary, alerts, timestamp } = this.overview();
    const predictions = Object.create(null) as Record<string, ServerPrediction>;
    for (const s of this.list) predictions[s.name] = serverPrediction(s, this.rt, this.axes);
    return { predictions, summary, alerts, timestamp };
  }

  /** Changes with every accepted record and every model swap (what cached views are keyed on). */
  get version(): number {
    return this.stateVersion;
  }

  /** Name of the i-th server, in the order servers were first seen (stable: servers are never removed). */
  serverNameAt(i: number): string | undefined {
    return this.list[i]?.name;
  }

  /** Risk (unrounded) of the i-th server, for filters that must not build its prediction. */
  riskAt(i: number): number {
    return this.list[i]?.risk ?? 0;
  }

  /** Position of a server in `serverNameAt` order, or -1. */
  indexOf(serverName: string): number {
    const s = this.servers.get(serverName);
    return s === undefined ? -1 : s.index;
  }

  prediction(serverName: string): ServerPrediction | undefined {
    const s = this.servers.get(serverName);
    return s ? serverPrediction(s, this.rt, this.axes) : undefined;
  }

  /**
   * Length of the i-th server's `"name":{prediction}` as UTF-8 JSON, serialising it if it took a
   * record (or the model changed) since it was last serialised: a fleet where few servers report
   * between two reads re-serialises only those. The bytes are written from the server's state
   * without building the prediction object or any string per value (`writeServerPrediction`), into
   * the server's own buffer, reused while it is large enough: a fresh full map of 10,000 servers
   * allocated ~100 MB of objects and strings through `JSON.stringify` (ADR 0023, sixth round).
   */
  predictionLengthAt(i: number): number {
    const s = this.list[i]!;
    if (s.json === null || s.jsonRecords !== s.records || s.jsonModel !== this.modelGen) {
      const out = this.out;
      out.reset();
      writeServerPrediction(out, s, this.rt, this.axes);
      const n = out.length;
      // Room for a few more digits next time; small buffers come from Node's shared pool.
      if (s.json === null || s.json.length < n) s.json = Buffer.allocUnsafe(n + (n >> 4) + 16);
      out.bytes.copy(s.json, 0, 0, n);
      s.jsonLength = n;
      s.jsonRecords = s.records;
      s.jsonModel = this.modelGen;
      this.serialised++;
    }
    return s.jsonLength;
  }

  /**
   * Copies the i-th server's bytes as `predictionLengthAt` last serialised them (it does not serialise
   * again, so a map whose lengths were summed first gets exactly those bytes) into `target` at `at`;
   * returns their length.
   */
  copyPredictionAt(i: number, target: Buffer, at: number): number {
    const s = this.list[i]!;
    return s.json === null ? 0 : s.json.copy(target, at, 0, s.jsonLength);
  }

  /** The i-th server's `"name":{prediction}` (a view of its buffer, valid until it is serialised again). */
  predictionBytesAt(i: number): Buffer {
    const n = this.predictionLengthAt(i);
    return (this.list[i]!.json as Buffer).subarray(0, n);
  }

  /** Server predictions serialised to JSON so far (each server once per record or model). */
  get predictionsSerialised(): number {
    return this.serialised;
  }

  /**
   * A server's entry in the alert list, kept on it until it takes a record or the model changes: an
   * overview read while records arrive (every 50 records during a large feed) builds only the alerts
   * of servers that changed, not thousands of new objects per read for the collector to promote.
   * Shared by the overviews that include it: read-only.
   */
  private alertOf(s: ServerTracker): PredictionAlert {
    if (s.alert === null || s.alertRecords !== s.records || s.alertModel !== this.modelGen) {
      s.alert = {
        server_name: s.name,
        level: s.level,
        risk_score: roundRisk(s.risk),
        profile: s.profile,
        message: s.message ?? "",
        time_to_issue:
          s.timeToIssueMinutes === null
            ? null
            : s.timeToIssueMinutes === 0
              ? "now"
              : formatDuration(s.timeToIssueMinutes),
      };
      s.alertRecords = s.records;
      s.alertModel = this.modelGen;
    }
    return s.alert;
  }

  explain(serverName: string): Explanation | undefined {
    const s = this.servers.get(serverName);
    return s ? explainServer(s, this.rt) : undefined;
  }
}

function levelChange(s: ServerTracker, previous: AlertLevel): AlertEvent {
  const up = severityRank(s.level) > severityRank(previous);
  return {
    timestamp: s.lastTimestamp,
    server_name: s.name,
    profile: s.profile,
    event_type:
      previous === "healthy" ? "raised" : s.level === "healthy" ? "resolved" : up ? "escalated" : "deescalated",
    previous_level: previous,
    new_level: s.level,
    risk_score: roundRisk(s.risk),
    message: s.message,
  };
}
