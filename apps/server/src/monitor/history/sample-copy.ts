import { METRIC_FIELDS, type MetricField } from "@aegis/contracts";
import { SAMPLE_STATUSES, SAMPLE_WIDTH, type SampleBatch } from "./sample-batch.js";

const INTEGER_FIELDS: ReadonlySet<MetricField> = new Set(["back_close_wait", "front_close_wait", "uptime_days"]);
/** `monitor_samples`' type of each metric column, `METRIC_FIELDS` order (the rest of the schema in `store/schema.ts`). */
export const SAMPLE_COLUMN_TYPES: readonly ("real" | "integer")[] = METRIC_FIELDS.map((f) =>
  INTEGER_FIELDS.has(f) ? "integer" : "real",
);
const INTEGER = SAMPLE_COLUMN_TYPES.map((t) => t === "integer");

/** The statement `encodeSampleCopy`'s bytes feed (PGlite reads them as the file `/dev/blob`). */
export const SAMPLE_COPY_SQL = `copy monitor_samples (project_id, server_name, ts, status, ${METRIC_FIELDS.join(", ")}) from '/dev/blob' with (format binary)`;

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // "PGCOPY\n\377\r\n\0"
const FIELDS = 4 + SAMPLE_WIDTH;
/** Per row, without the three texts: field count, four length words, the instant, the metrics. */
const ROW_FIXED = 2 + 4 * 4 + 8 + SAMPLE_WIDTH * 8;
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const STATUS_BYTES = SAMPLE_STATUSES.map((s) => Buffer.from(s, "utf8"));

/**
 * The batch in PostgreSQL's binary COPY format (ADR 0023, ninth round): no text for the database to parse,
 * one statement's worth of rows in one buffer (its own ArrayBuffer, so it can be transferred to the
 * embedded database's thread). Undefined when a value would not be stored exactly as the text path
 * (`unnest` of array parameters) stores it — a non-integer or out-of-range integer, a real that
 * overflows or underflows float4, an unknown status: that path then gives its own answer (an error).
 * A real is rounded to float4 as the column does; -0 is stored as 0, as its text is.
 */
export function encodeSampleCopy(projectId: string, batch: SampleBatch): Uint8Array | undefined {
  const n = batch.length;
  const project = Buffer.from(projectId, "utf8");
  let size = SIGNATURE.length + 8 + 2;
  for (let i = 0; i < n; i++) {
    const status = STATUS_BYTES[batch.status[i] as number];
    if (status === undefined) return undefined;
    size += ROW_FIXED + project.length + Buffer.byteLength(batch.names[i] as string, "utf8") + status.length;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const bytes = Buffer.from(out.buffer);
  out.set(SIGNATURE, 0);
  let o = SIGNATURE.length + 8; // flags and header extension: 0
  const text = (b: Uint8Array) => {
    view.setInt32(o, b.length);
    out.set(b, o + 4);
    o += 4 + b.length;
  };
  const values = batch.values;
  for (let i = 0; i < n; i++) {
    view.setInt16(o, FIELDS);
    o += 2;
    text(project);
    const len = bytes.write(batch.names[i] as string, o + 4, "utf8");
    view.setInt32(o, len);
    o += 4 + len;
    // Microseconds since 2000-01-01 as int64; whole milliseconds, as `new Date(ms)` keeps them.
    const us = (Math.trunc(batch.ms[i] as number) - PG_EPOCH_MS) * 1000;
    const high = Math.floor(us / 2 ** 32);
    view.setInt32(o, 8);
    view.setInt32(o + 4, high);
    view.setUint32(o + 8, us - high * 2 ** 32);
    o += 12;
    text(STATUS_BYTES[batch.status[i] as number] as Buffer);
    for (let j = 0; j < SAMPLE_WIDTH; j++) {
      const v = values[i * SAMPLE_WIDTH + j] as number;
      view.setInt32(o, 4);
      if (INTEGER[j]) {
        if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) return undefined;
        view.setInt32(o + 4, v);
      } else {
        const f = Math.fround(v);
        if ((f === 0 && v !== 0) || (!Number.isFinite(f) && Number.isFinite(v))) return undefined;
        view.setFloat32(o + 4, f === 0 ? 0 : f);
      }
      o += 8;
    }
  }
  view.setInt16(o, -1);
  return out;
}
