import { type FeedRequest, METRIC_FIELDS, MetricRecord, ServerStatus } from "@aegis/contracts";

/**
 * The precompiled fast path of `POST /feed/data` validation: true when `body` is a `FeedRequest`
 * that `FeedRequest` (zod) would accept unchanged — every record a plain object with exactly the 17
 * seed fields, each of the right type and range. It allocates nothing per record. Anything else
 * (a bad record, an extra or missing key) answers false and the caller runs the zod schema, which
 * accepts (stripping extra keys) or writes the seed's 422 body; so the error wire has one owner.
 *
 * The checks mirror `MetricRecord` field by field; `feed-body-check.test.ts` holds the two in step
 * (every bad body the schema refuses, this refuses too). Timestamps go through the schema's own
 * ISO check, once per distinct string (a fleet batch shares a handful).
 */
export function isCleanFeedBody(body: unknown): body is FeedRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const records = (body as { records?: unknown }).records;
  if (!Array.isArray(records) || records.length < 1 || records.length > MAX_RECORDS) return false;
  if (countKeys(body) !== 1) return false;
  let lastStamp = "";
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as Record<string, unknown> | null;
    if (typeof r !== "object" || r === null || Array.isArray(r)) return false;
    const ts = r.timestamp;
    if (typeof ts !== "string") return false;
    if (ts !== lastStamp) {
      if (!validStamp(ts)) return false;
      lastStamp = ts;
    }
    const name = r.server_name;
    if (typeof name !== "string" || name.length < 1 || name.length > 200 || !NAME.test(name)) return false;
    if (typeof r.status !== "string" || !STATUSES.has(r.status)) return false;
    for (let k = 0; k < PCT_FIELDS.length; k++) {
      const v = r[PCT_FIELDS[k] as string];
      if (typeof v !== "number" || !(v >= 0 && v <= 100)) return false;
    }
    for (let k = 0; k < NON_NEGATIVE_FIELDS.length; k++) {
      const v = r[NON_NEGATIVE_FIELDS[k] as string];
      if (typeof v !== "number" || !(v >= 0) || v === Number.POSITIVE_INFINITY) return false;
    }
    for (let k = 0; k < COUNT_FIELDS.length; k++) {
      const v = r[COUNT_FIELDS[k] as string];
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) return false;
    }
    const up = r.uptime_days;
    if (typeof up !== "number" || !Number.isInteger(up) || up < 0 || up > 365) return false;
    if (countKeys(r) !== RECORD_KEYS) return false;
  }
  return true;
}

const MAX_RECORDS = 100_000;
const RECORD_KEYS = 3 + METRIC_FIELDS.length;
/** The same pattern as `MetricRecord.server_name`. */
const NAME = /^[^\p{Cc}/]+$/u;
const STATUSES = new Set<string>(ServerStatus.options);
const PCT_FIELDS = METRIC_FIELDS.filter((f) => f.endsWith("_pct"));
const NON_NEGATIVE_FIELDS = ["net_in_mb_s", "net_out_mb_s", "load_average"] as const;
const COUNT_FIELDS = ["back_close_wait", "front_close_wait"] as const;

const stampSchema = MetricRecord.shape.timestamp;
const goodStamps = new Map<string, true>();

function validStamp(ts: string): boolean {
  if (goodStamps.has(ts)) return true;
  if (!stampSchema.safeParse(ts).success) return false;
  if (goodStamps.size >= 64) goodStamps.clear();
  goodStamps.set(ts, true);
  return true;
}

function countKeys(o: object): number {
  let n = 0;
  for (const k in o) if (Object.hasOwn(o, k)) n++;
  return n;
}
