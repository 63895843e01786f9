import { METRIC_FIELDS, type MetricRecord } from "@aegis/contracts";
import type { Logger } from "../shared/logger.js";
import { SAMPLE_STATUSES, SAMPLE_WIDTH, type SampleBatch } from "./history/sample-batch.js";
import { dataTimeMs } from "./history/time-range.js";

export interface SampleSink {
  appendSampleBatch(batch: SampleBatch): Promise<void>;
}

export interface SampleRecorderOptions {
  /** Data-time minutes between two stored samples of one server (0: every record). */
  everyMinutes: number;
  /** Records waiting for the store beyond which new ones are dropped (and counted), never blocking ingest. */
  maxPending: number;
  /** Rows per insert statement (small statements keep each copy of the parameters to the PGlite worker short). */
  batchSize: number;
}

const STATUSES = SAMPLE_STATUSES;
const WIDTH = SAMPLE_WIDTH;

/**
 * Keeps the training history: a downsampled copy of the metric stream, written off the ingest
 * path. Ingest never waits for the store; when the store falls behind, samples are dropped and
 * counted (`dropped`) rather than slowing `/feed/data` or growing memory without bound.
 *
 * Waiting samples sit in a ring of typed columns (~80 bytes each: float4 values, as the table
 * stores them), not as the request's parsed objects, so a full queue of 200,000 costs ~16 MB (the
 * typed columns' pages are only resident once written; the names' array grows with the queue, so an
 * empty one costs nothing: it was 1.6 MB of heap allocated up front, ADR 0025 eighth round).
 */
export class SampleRecorder {
  private readonly lastKept = new Map<string, number>();
  /** Grows as slots are first written (in order, 0 up): never wider than `cap`. */
  private readonly names: (string | undefined)[] = [];
  private readonly cap: number;
  private readonly ms: Float64Array;
  private readonly status: Uint8Array;
  private readonly values: Float32Array;
  private head = 0;
  private size = 0;
  private writing: Promise<void> | null = null;
  private droppedCount = 0;
  private failedCount = 0;
  private storedCount = 0;

  constructor(
    private readonly sink: SampleSink,
    private readonly logger: Logger,
    private readonly opts: SampleRecorderOptions,
  ) {
    const cap = Math.max(1, opts.maxPending);
    this.cap = cap;
    this.ms = new Float64Array(cap);
    this.status = new Uint8Array(cap);
    this.values = new Float32Array(cap * WIDTH);
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** The part of `dropped` that reached the store and failed there (a write error, e.g. a full disk), not the bound. */
  get failed(): number {
    return this.failedCount;
  }

  get stored(): number {
    return this.storedCount;
  }

  /** Samples waiting for the store. */
  get pending(): number {
    return this.size;
  }

  offer(records: readonly MetricRecord[]): void {
    const gapMs = this.opts.everyMinutes * 60_000;
    const cap = this.cap;
    let prevTs = "";
    let t = 0;
    for (const r of records) {
      if (r.timestamp !== prevTs) {
        prevTs = r.timestamp;
        t = dataTimeMs(prevTs);
      }
      const last = this.lastKept.get(r.server_name);
      if (last !== undefined && t - last < gapMs && t >= last) continue;
      if (this.size >= cap) {
        this.droppedCount += 1;
        continue;
      }
      this.lastKept.set(r.server_name, t);
      const i = (this.head + this.size) % cap;
      this.names[i] = r.server_name;
      this.ms[i] = t;
      this.status[i] = STATUSES.indexOf(r.status);
      for (let j = 0; j < WIDTH; j++)
        this.values[i * WIDTH + j] = r[METRIC_FIELDS[j] as (typeof METRIC_FIELDS)[number]];
      this.size++;
    }
    if (!this.writing && this.size > 0) this.writing = this.drain();
  }

  /** Wait until everything offered so far is stored (or failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** The oldest `n` waiting samples, as columns (no object per sample), removed from the queue. */
  private take(n: number): SampleBatch {
    const cap = this.cap;
    const count = Math.min(n, this.size);
    const batch = {
      length: count,
      names: new Array<string>(count),
      ms: new Float64Array(count),
      status: new Uint8Array(count),
      values: new Float64Array(count * WIDTH),
    };
    for (let k = 0; k < count; k++) {
      const i = this.head;
      batch.names[k] = this.names[i] as string;
      batch.ms[k] = this.ms[i] as number;
      batch.status[k] = this.status[i] as number;
      batch.values.set(this.values.subarray(i * WIDTH, i * WIDTH + WIDTH), k * WIDTH);
      this.names[i] = undefined;
      this.head = (i + 1) % cap;
      this.size--;
    }
    return batch;
  }

  private async drain(): Promise<void> {
    try {
      while (this.size > 0) {
        const batch = this.take(this.opts.batchSize);
        try {
          await this.sink.appendSampleBatch(batch);
          this.storedCount += batch.length;
        } catch (err) {
          this.droppedCount += batch.length;
          this.failedCount += batch.length;
          this.logger.error({ err, rows: batch.length }, "metric samples not stored");
        }
      }
    } finally {
      this.writing = null;
    }
  }
}
