import { METRIC_FIELDS, type MetricRecord, ServerStatus } from "@aegis/contracts";
import { dataTimeMs } from "./time-range.js";

/** Metric values per sample (`METRIC_FIELDS`, in order). */
export const SAMPLE_WIDTH = METRIC_FIELDS.length;
export const SAMPLE_STATUSES = ServerStatus.options;

/**
 * Training samples on their way to the store, as columns: no object per sample. What the sample
 * recorder hands the history store (ADR 0023, ninth round).
 */
export interface SampleBatch {
  readonly length: number;
  readonly names: readonly string[];
  /** The instant, epoch milliseconds (data time). */
  readonly ms: Float64Array;
  /** Index into `SAMPLE_STATUSES`. */
  readonly status: Uint8Array;
  /** `SAMPLE_WIDTH` values a sample, sample after sample. */
  readonly values: Float64Array;
}

/** Records as a batch (values exact: the store rounds them to its column types). */
export function sampleBatchOf(records: readonly MetricRecord[]): SampleBatch {
  const n = records.length;
  const batch = {
    length: n,
    names: records.map((r) => r.server_name),
    ms: new Float64Array(n),
    status: new Uint8Array(n),
    values: new Float64Array(n * SAMPLE_WIDTH),
  };
  for (let i = 0; i < n; i++) {
    const r = records[i] as MetricRecord;
    batch.ms[i] = dataTimeMs(r.timestamp);
    batch.status[i] = SAMPLE_STATUSES.indexOf(r.status);
    for (let j = 0; j < SAMPLE_WIDTH; j++)
      batch.values[i * SAMPLE_WIDTH + j] = r[METRIC_FIELDS[j] as (typeof METRIC_FIELDS)[number]];
  }
  return batch;
}
