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
    if (!validName(r.server_name)) return false;
    if (typeof r.status !== "string" || !STATUSES.has(r.status)) return false;
    for (let k = 0; k < METRIC_FIELDS.length; k++) {
      const v = r[METRIC_FIELDS[k] as string];
      if (typeof v !== "number" || !validMetric(k, v)) return false;
    }
    if (countKeys(r) !== RECORD_KEYS) return false;
  }
  return true;
}

/** Records a `/feed/data` body may hold (`FeedRequest`). */
export const MAX_RECORDS = 100_000;
const RECORD_KEYS = 3 + METRIC_FIELDS.length;
/** The same pattern as `MetricRecord.server_name`. */
const NAME = /^[^\p{Cc}/]+$/u;
const STATUSES = new Set<string>(ServerStatus.options);

/** `MetricRecord.server_name`'s rules. */
export function validName(name: unknown): name is string {
  return typeof name === "string" && name.length >= 1 && name.length <= 200 && NAME.test(name);
}

const PCT = 0;
const NON_NEGATIVE = 1;
const COUNT = 2;
const UPTIME = 3;
/** The rule of each metric, in `METRIC_FIELDS` order, as `MetricRecord` has them. */
const METRIC_RULES = METRIC_FIELDS.map((f) =>
  f.endsWith("_pct")
    ? PCT
    : f === "back_close_wait" || f === "front_close_wait"
      ? COUNT
      : f === "uptime_days"
        ? UPTIME
        : NON_NEGATIVE,
);

/** Whether `v` is a value `MetricRecord` accepts for the `k`-th of `METRIC_FIELDS`. */
export function validMetric(k: number, v: number): boolean {
  switch (METRIC_RULES[k]) {
    case PCT:
      return v >= 0 && v <= 100;
    case NON_NEGATIVE:
      return v >= 0 && v !== Number.POSITIVE_INFINITY;
    case COUNT:
      return Number.isSafeInteger(v) && v >= 0;
    case UPTIME:
      return Number.isInteger(v) && v >= 0 && v <= 365;
    default:
      return false;
  }
}

const stampSchema = MetricRecord.shape.timestamp;
const goodStamps = new Map<string, true>();

/** `MetricRecord.timestamp`'s ISO check, remembered for the last 64 distinct good strings. */
export function validStamp(ts: string): boolean {
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
