import { z } from "zod";

const Iso = z.string().datetime({ offset: true });

/** Seed 003 `POST /analytics/incidents`: a time range and filters in the body. */
export const IncidentAnalyticsInput = z
  .object({
    start_time: Iso.optional(),
    end_time: Iso.optional(),
    services: z.array(z.string().min(1).max(253)).max(100).optional(),
    severities: z.array(z.string().min(1).max(40)).max(20).optional(),
    states: z.array(z.string().min(1).max(40)).max(20).optional(),
    group_by: z.enum(["hour", "day"]).optional(),
  })
  .refine((b) => !b.start_time || !b.end_time || Date.parse(b.start_time) < Date.parse(b.end_time), {
    message: "start_time must be before end_time",
    path: ["start_time"],
  });
export type IncidentAnalyticsInput = z.infer<typeof IncidentAnalyticsInput>;

export const PatternsQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30),
  min_occurrences: z.coerce.number().int().min(1).max(100_000).default(3),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** An SLO declared for a service: availability objective (percent) over a rolling window. */
export const SloInput = z.object({
  objective_pct: z.number().gt(0).lt(100),
  window_days: z.number().int().min(1).max(365).default(30),
  description: z.string().max(1000).optional(),
});
export type SloInput = z.infer<typeof SloInput>;

export const CostRateInput = z.object({
  cost_per_minute: z.number().min(0).max(1_000_000_000),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default("USD"),
});
export type CostRateInput = z.infer<typeof CostRateInput>;

export const ReportType = z.enum(["executive", "weekly", "postmortem"]);
export type ReportType = z.infer<typeof ReportType>;

export const ReportQuery = z.object({
  report_type: ReportType,
  incident_id: z.string().min(1).max(200).optional(),
  days: z.coerce.number().int().min(1).max(365).optional(),
});

export interface SloView {
  service: string;
  objective_pct: number;
  window_days: number;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReportView {
  id: string;
  report_type: ReportType;
  title: string;
  period_from: string;
  period_to: string;
  created_at: string;
  html_url: string;
  pdf_url: string | null;
  pdf_error: string | null;
  expires_at: string;
}
