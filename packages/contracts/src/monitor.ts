import { z } from "zod";

/** Seed 004 server status values. */
export const ServerStatus = z.enum([
  "healthy",
  "critical_issue",
  "heavy_load",
  "idle",
  "maintenance",
  "morning_spike",
  "offline",
  "recovery",
]);
export type ServerStatus = z.infer<typeof ServerStatus>;

const pct = z.number().finite().min(0).max(100);
const nonNegative = z.number().finite().min(0);
const count = z.number().int().min(0);

/** The numeric metric fields of a record, in wire order (seed 004 `/feed/data`). */
export const METRIC_FIELDS = [
  "cpu_user_pct",
  "cpu_sys_pct",
  "cpu_iowait_pct",
  "cpu_idle_pct",
  "java_cpu_pct",
  "mem_used_pct",
  "swap_used_pct",
  "disk_usage_pct",
  "net_in_mb_s",
  "net_out_mb_s",
  "back_close_wait",
  "front_close_wait",
  "load_average",
  "uptime_days",
] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];

/** One metrics sample of one server (seed 004 `/feed/data` record): every field required, ranges enforced. */
export const MetricRecord = z.object({
  timestamp: z.iso.datetime({ local: true, offset: true }),
  server_name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\p{Cc}/]+$/u, "must not contain control characters or '/'"),
  status: ServerStatus,
  cpu_user_pct: pct,
  cpu_sys_pct: pct,
  cpu_iowait_pct: pct,
  cpu_idle_pct: pct,
  java_cpu_pct: pct,
  mem_used_pct: pct,
  swap_used_pct: pct,
  disk_usage_pct: pct,
  net_in_mb_s: nonNegative,
  net_out_mb_s: nonNegative,
  back_close_wait: count,
  front_close_wait: count,
  load_average: nonNegative,
  uptime_days: z.number().int().min(0).max(365),
});
export type MetricRecord = z.infer<typeof MetricRecord>;

/** `POST /feed/data` body. */
export const FeedRequest = z.object({ records: z.array(MetricRecord).min(1).max(100_000) });
export type FeedRequest = z.infer<typeof FeedRequest>;

/** Seed 004 alert levels: critical 80–100, warning 60–79, degraded 50–59, healthy 0–49. */
export const AlertLevel = z.enum(["critical", "warning", "degraded", "healthy"]);
export type AlertLevel = z.infer<typeof AlertLevel>;

/** `time_range` of the `/historical/*` endpoints. */
export const TimeRange = z.enum(["30m", "1h", "8h", "1d", "1w", "1M"]);
export type TimeRange = z.infer<typeof TimeRange>;
