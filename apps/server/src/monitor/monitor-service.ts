import type { MetricRecord, MonitorStatus } from "@aegis/contracts";
import type { Logger } from "../shared/logger.js";
import { formatDataTime } from "./engine/data-time.js";
import type { FeedColumns } from "./feed-columns.js";
import { FleetPredictionsView } from "./fleet-predictions-view.js";
import { dataTimeMs } from "./history/time-range.js";
import type { AlertEvent, FleetMonitor, FleetSummary, IngestResult, MonitorModel } from "./monitor-types.js";
import type { ProactiveIncidents } from "./proactive-incidents.js";
import type { SampleRecorder } from "./sample-recorder.js";
import { TimeSlicer } from "./time-slicer.js";

/** Where alert events and fleet snapshots are kept. */
export interface MonitorHistorySink {
  appendAlertEvents(events: AlertEvent[]): Promise<void>;
  appendSnapshot(summary: FleetSummary, at: string): Promise<void>;
  prune(olderThan: Date): Promise<{ samples: number; alertEvents: number; snapshots: number }>;
}

const HOUR_MS = 3_600_000;
/** Records the engine takes at most between two yields to the event loop (~5 ms of CPU on this machine). */
const INGEST_SLICE = 500;
/** Records per engine call, between two looks at the time budget. */
const INGEST_STEP = 50;

/**
 * The live side of the predictive monitor: feeds the engine, records level changes and fleet
 * snapshots, keeps the training history and hands critical predictions to the remediation loop.
 * Nothing here blocks `/feed/data` on the store: writes are queued and their failures logged.
 */
export class MonitorService {
  private readonly started = Date.now();
  private historyWrites: Promise<unknown> = Promise.resolve();
  /** The large batch being ingested (the next one waits for it). */
  private ingestTurn: Promise<unknown> = Promise.resolve();
  private snapshotTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private lastSnapshotTick = 0;
  private latestDataMs = Number.NEGATIVE_INFINITY;
  /** `/predictions/current` in its three forms (full map, page, summary). */
  readonly predictions: FleetPredictionsView;

  constructor(
    readonly engine: FleetMonitor,
    private readonly history: MonitorHistorySink,
    private readonly samples: SampleRecorder,
    private readonly proactive: ProactiveIncidents,
    private readonly logger: Logger,
    private readonly modelPath: () => string,
    /** Live subscribers of level changes (the WebSocket hub's `alert.fired`). */
    private readonly onAlerts: (events: readonly AlertEvent[]) => void = () => undefined,
  ) {
    this.predictions = new FleetPredictionsView(engine);
  }

  /**
   * Take a fleet snapshot every `snapshotMs` of wall time while data keeps arriving, and every
   * hour drop history older than `retentionDays` (in data time).
   */
  start(snapshotMs: number, retentionDays: number): void {
    this.snapshotTimer = setInterval(() => void this.snapshot(), snapshotMs);
    this.snapshotTimer.unref();
    this.pruneTimer = setInterval(() => void this.prune(retentionDays), HOUR_MS);
    this.pruneTimer.unref();
  }

  async prune(retentionDays: number): Promise<void> {
    const cutoff = new Date(this.now().getTime() - retentionDays * 24 * HOUR_MS);
    await this.enqueue(async () => {
      const removed = await this.history.prune(cutoff);
      this.logger.info({ ...removed, before: cutoff.toISOString() }, "monitor history pruned");
    });
  }

  /**
   * `ingest` a large batch over several event-loop tasks: steps of `INGEST_STEP` records, a pause
   * once `SLICE_BUDGET_MS` of work ran or `slice` records went in (and one before the first step, so
   * the request's JSON parse and validation end their own task). Large batches are ingested one after
   * another, in the order they arrived (a batch of one step at once), so records of one server stay in
   * order and concurrent requests' slices do not pile up in one event-loop turn. The batch comes as columns (see FeedColumns): each step's records are built just before the engine
   * takes them, so they die young instead of waiting, parsed, for the whole batch.
   */
  async ingestSliced(batch: FeedColumns, slice = INGEST_SLICE): Promise<IngestResult> {
    if (batch.length <= INGEST_STEP) return this.ingest(batch.records(0, batch.length));
    // One large batch at a time: concurrent requests' slices would otherwise run back to back in the
    // same event-loop turn (4 connections: 4 budgets in one turn), which is what the loop's delay counts.
    const run = this.ingestTurn.then(() => this.ingestInSlices(batch, slice));
    this.ingestTurn = run.catch(() => undefined);
    return run;
  }

  private async ingestInSlices(batch: FeedColumns, slice: number): Promise<IngestResult> {
    const pacer = new TimeSlicer(slice);
    let accepted = 0;
    const events: AlertEvent[] = [];
    let last: IngestResult | undefined;
    await pacer.pause();
    for (let i = 0; i < batch.length; i += INGEST_STEP) {
      last = this.ingest(batch.records(i, i + INGEST_STEP));
      accepted += last.accepted;
      for (const e of last.events) events.push(e);
      if (i + INGEST_STEP < batch.length && pacer.due(INGEST_STEP)) await pacer.pause();
    }
    return { ...(last as IngestResult), accepted, events };
  }

  ingest(records: readonly MetricRecord[]): IngestResult {
    const result = this.engine.ingest(records);
    // Fleet batches share timestamps: each distinct string is parsed once.
    let prev = "";
    for (const r of records) {
      if (r.timestamp === prev) continue;
      prev = r.timestamp;
      this.latestDataMs = Math.max(this.latestDataMs, dataTimeMs(prev));
    }
    this.samples.offer(records);
    if (result.events.length > 0) this.record(result.events);
    return result;
  }

  /**
   * Rebuild the engine's state (rolling windows, forecasters, risk) from stored samples, oldest
   * first, before live records arrive: no events, no samples stored again, the event loop free
   * between pages. Returns the records replayed.
   */
  async restore(pages: AsyncIterable<MetricRecord[]>): Promise<number> {
    let replayed = 0;
    for await (const page of pages) {
      for (const rec of page) {
        const ms = dataTimeMs(rec.timestamp);
        // Samples keep the instant, not how the feeder wrote it: restored points take the seed's
        // offset-less form (UTC) until the server's next live record.
        rec.timestamp = formatDataTime(ms, true);
        this.latestDataMs = Math.max(this.latestDataMs, ms);
      }
      const r = this.engine.ingest(page);
      replayed += r.accepted;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return replayed;
  }

  /** The monitor's "now": the newest record's time (data may be replayed or simulated), else the clock. */
  now(): Date {
    return Number.isFinite(this.latestDataMs) ? new Date(this.latestDataMs) : new Date();
  }

  status(): MonitorStatus {
    const e = this.engine;
    return {
      model_loaded: true,
      model_path: this.modelPath(),
      model_version: e.model.version,
      rolling_window_size: e.windowSize,
      servers_tracked: e.serversTracked,
      last_prediction: e.lastPrediction,
      uptime_seconds: Math.round((Date.now() - this.started) / 1000),
      warmup_complete: e.recordCount >= e.warmupRecords,
      records_received: e.recordCount,
      samples_stored: this.samples.stored,
      samples_dropped: this.samples.dropped,
      samples_failed: this.samples.failed,
      proactive_incidents: this.proactive.openedCount,
    };
  }

  setModel(model: MonitorModel): void {
    this.engine.setModel(model);
    this.logger.info({ model: model.name, version: model.version }, "monitor model loaded");
  }

  /** Store one fleet snapshot if records arrived since the last one. */
  async snapshot(): Promise<void> {
    const e = this.engine;
    if (e.recordCount === this.lastSnapshotTick || e.recordCount < e.warmupRecords) return;
    this.lastSnapshotTick = e.recordCount;
    const p = e.overview();
    await this.enqueue(() => this.history.appendSnapshot(p.summary, p.timestamp));
  }

  /** Wait for queued history writes and stored samples. */
  async flush(): Promise<void> {
    await this.historyWrites;
    await this.samples.flush();
  }

  async stop(): Promise<void> {
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.snapshotTimer = null;
    this.pruneTimer = null;
    await this.flush();
  }

  private record(events: AlertEvent[]): void {
    void this.enqueue(() => this.history.appendAlertEvents(events));
    this.onAlerts(events);
    // Only a critical event can open an incident (and a healthy one close it).
    if (!events.some((e) => e.new_level === "critical" || e.new_level === "healthy")) return;
    void this.proactive
      .onEvents(events, (server) => this.engine.prediction(server))
      .catch((err) => this.logger.warn({ err }, "proactive incidents failed"));
  }

  /** History writes run one after another, in event order. */
  private enqueue(write: () => Promise<void>): Promise<void> {
    const next = this.historyWrites.then(write).catch((err) => this.logger.warn({ err }, "monitor history not stored"));
    this.historyWrites = next;
    return next;
  }
}
