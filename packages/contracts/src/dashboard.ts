import { z } from "zod";

/** Seed 003 success envelope: `{success: true, message, data}`. */
export const onCallEnvelope = <T extends z.ZodTypeAny>(data: T) =>
  z.object({ success: z.literal(true), message: z.string(), data });

/** Trend periods of the dashboard (seed 003 `?period=`): hourly buckets for 24h, daily for 7d and 30d. */
export const DashboardPeriod = z.enum(["24h", "7d", "30d"]);
export type DashboardPeriod = z.infer<typeof DashboardPeriod>;

export const PeriodQuery = z.object({ period: DashboardPeriod.default("24h") });
export const LimitQuery = (def: number, max: number) =>
  z.object({ limit: z.coerce.number().int().min(1).max(max).default(def) });
export const DaysQuery = (def: number) => z.object({ days: z.coerce.number().int().min(1).max(365).default(def) });

/** Percentiles of a duration in seconds over the incidents that reached the milestone (null: none did). */
export const DurationPercentiles = z.object({
  count: z.number().int(),
  mean: z.number().nullable(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
});
export type DurationPercentiles = z.infer<typeof DurationPercentiles>;

export interface DashboardStats {
  total_incidents: number;
  active_incidents: number;
  by_state: Record<string, number>;
  by_automation_status: Record<string, number>;
  incidents_last_24h: number;
  resolved_last_24h: number;
  critical_open: number;
  awaiting_approval: number;
  mtta_seconds_30d: number | null;
  mttr_seconds_30d: number | null;
  automation_rate_30d: number | null;
  generated_at: string;
  notes: string[];
}

export interface IncidentTrendBucket {
  start: string;
  opened: number;
  resolved: number;
  by_severity: Record<string, number>;
}

export interface IncidentTrend {
  period: DashboardPeriod;
  bucket: "hour" | "day";
  from: string;
  to: string;
  total_opened: number;
  total_resolved: number;
  buckets: IncidentTrendBucket[];
}

export interface ResolutionTimes {
  period: DashboardPeriod;
  from: string;
  to: string;
  incidents: number;
  mtta_seconds: DurationPercentiles;
  mttr_seconds: DurationPercentiles;
  notes: string[];
}

export interface AutomationMetrics {
  days: number;
  pipeline_resolved: number;
  resolved_without_human: number;
  resolved_without_human_share: number | null;
  awaiting_approval: number;
  rejected_by_council: number;
  failed: number;
  actions_total: number;
  actions_succeeded: number;
  actions_failed: number;
  action_success_rate: number | null;
  rollbacks: number;
  rollback_rate: number | null;
  by_action: { action: string; succeeded: number; failed: number; started: number }[];
  fix_outcomes: Record<string, number>;
  reopened_rate: number | null;
  notes: string[];
}

export interface ActivityItem {
  id: number;
  incident_id: string;
  reference: string;
  title: string;
  timestamp: string;
  status: string;
  agent: string | null;
  message: string;
}

export interface TopService {
  service: string;
  incidents: number;
  open: number;
  critical: number;
  impact_minutes: number;
  last_incident_at: string | null;
}

export interface SeverityDistribution {
  days: number | null;
  total: number;
  distribution: { severity: string; count: number; percentage: number }[];
}
