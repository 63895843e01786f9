import type { MetricRecord } from "@aegis/contracts";
import type { Logger } from "../shared/logger.js";
import { dataTimeMs } from "./history/time-range.js";

export interface SampleSink {
  appendSamples(records: MetricRecord[]): Promise<void>;
}

export interface SampleRecorderOptions {
  /** Data-time minutes between two stored samples of one server (0: every record). */
  everyMinutes: number;
  /** Records waiting for the store beyond which new ones are dropped (and counted), never blocking ingest. */
  maxPending: number;
  /** Rows per insert statement. */
  batchSize: number;
}

/**
 * Keeps the training history: a downsampled copy of the metric stream, written off the ingest
 * path. Ingest never waits for the store; when the store falls behind, samples are dropped and
 * counted (`dropped`) rather than slowing `/feed/data` or growing memory without bound.
 */
export class SampleRecorder {
  private readonly lastKept = new Map<string, number>();
  private pending: MetricRecord[] = [];
  private writing: Promise<void> | null = null;
  private droppedCount = 0;
  private storedCount = 0;

  constructor(
    private readonly sink: SampleSink,
    private readonly logger: Logger,
    private readonly opts: SampleRecorderOptions,
  ) {}

  get dropped(): number {
    return this.droppedCount;
  }

  get stored(): number {
    return this.storedCount;
  }

  offer(records: readonly MetricRecord[]): void {
    const gapMs = this.opts.everyMinutes * 60_000;
    for (const r of records) {
      const t = dataTimeMs(r.timestamp);
      const last = this.lastKept.get(r.server_name);
      if (last !== undefined && t - last < gapMs && t >= last) continue;
      if (this.pending.length >= this.opts.maxPending) {
        this.droppedCount += 1;
        continue;
      }
      this.lastKept.set(r.server_name, t);
      this.pending.push(r);
    }
    if (!this.writing && this.pending.length > 0) this.writing = this.drain();
  }

  /** Wait until everything offered so far is stored (or failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.slice(0, this.opts.batchSize);
        this.pending = this.pending.slice(batch.length);
        try {
          await this.sink.appendSamples(batch);
          this.storedCount += batch.length;
        } catch (err) {
          this.droppedCount += batch.length;
          this.logger.warn({ err, rows: batch.length }, "metric samples not stored");
        }
      }
    } finally {
      this.writing = null;
    }
  }
}
