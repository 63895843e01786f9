import { type MetricRecord, ServerStatus } from "@aegis/contracts";

const STATUSES = ServerStatus.options;
const STATUS_CODE = new Map<string, number>(STATUSES.map((s, i) => [s, i]));
/** Numeric fields per record, in `METRIC_FIELDS` order. */
export const FEED_COLUMNS_WIDTH = 14;
const WIDTH = FEED_COLUMNS_WIDTH;

/**
 * A validated `/feed/data` batch held as columns: the 14 numbers of each record in one Float64Array
 * (exact: every field is a JSON number), the status as a byte, the server name and timestamp as
 * references (one string per distinct timestamp). The parsed body's per-record objects — ~500 bytes
 * each with their boxed numbers — become garbage in the task that parsed them, so a batch ingested over
 * many event-loop tasks no longer keeps them alive long enough to be promoted to the old generation
 * (what made the collector's full marks frequent under ingest: ADR 0023, fourth round).
 *
 * `records(start, end)` rebuilds the records of a step as fresh objects with the parsed records' fields
 * and values (the engine and the sample recorder take `MetricRecord`s); they die within that step.
 */
export class FeedColumns {
  /**
   * Columns of `length` records: `status` holds indexes into `ServerStatus.options`, `values` the
   * `METRIC_FIELDS` of record i at `i * FEED_COLUMNS_WIDTH` (new empty columns by default).
   */
  constructor(
    readonly length: number,
    private readonly names: string[] = new Array<string>(length),
    private readonly stamps: string[] = new Array<string>(length),
    private readonly status: Uint8Array = new Uint8Array(length),
    private readonly values: Float64Array = new Float64Array(length * WIDTH),
  ) {}

  static from(records: readonly MetricRecord[]): FeedColumns {
    const c = new FeedColumns(records.length);
    let stamp = "";
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as MetricRecord;
      // Equal timestamps share the first one's string (a fleet batch has a handful).
      if (r.timestamp !== stamp) stamp = r.timestamp;
      c.stamps[i] = stamp;
      c.names[i] = r.server_name;
      c.status[i] = STATUS_CODE.get(r.status) ?? 0;
      const v = c.values;
      const o = i * WIDTH;
      v[o] = r.cpu_user_pct;
      v[o + 1] = r.cpu_sys_pct;
      v[o + 2] = r.cpu_iowait_pct;
      v[o + 3] = r.cpu_idle_pct;
      v[o + 4] = r.java_cpu_pct;
      v[o + 5] = r.mem_used_pct;
      v[o + 6] = r.swap_used_pct;
      v[o + 7] = r.disk_usage_pct;
      v[o + 8] = r.net_in_mb_s;
      v[o + 9] = r.net_out_mb_s;
      v[o + 10] = r.back_close_wait;
      v[o + 11] = r.front_close_wait;
      v[o + 12] = r.load_average;
      v[o + 13] = r.uptime_days;
    }
    return c;
  }

  /** Records `start` to `end` (exclusive) as new objects, equal to the parsed ones. */
  records(start: number, end: number): MetricRecord[] {
    const to = Math.min(end, this.length);
    const out: MetricRecord[] = [];
    const v = this.values;
    for (let i = Math.max(0, start); i < to; i++) {
      const o = i * WIDTH;
      out.push({
        timestamp: this.stamps[i] as string,
        server_name: this.names[i] as string,
        status: STATUSES[this.status[i] as number] as MetricRecord["status"],
        cpu_user_pct: v[o] as number,
        cpu_sys_pct: v[o + 1] as number,
        cpu_iowait_pct: v[o + 2] as number,
        cpu_idle_pct: v[o + 3] as number,
        java_cpu_pct: v[o + 4] as number,
        mem_used_pct: v[o + 5] as number,
        swap_used_pct: v[o + 6] as number,
        disk_usage_pct: v[o + 7] as number,
        net_in_mb_s: v[o + 8] as number,
        net_out_mb_s: v[o + 9] as number,
        back_close_wait: v[o + 10] as number,
        front_close_wait: v[o + 11] as number,
        load_average: v[o + 12] as number,
        uptime_days: v[o + 13] as number,
      });
    }
    return out;
  }
}
