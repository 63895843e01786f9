import { z } from "zod";

export const DeployRecord = z.object({
  version: z.string(),
  at: z.string(),
  previous: z.string().optional(),
  change: z.string().optional(),
});
export type DeployRecord = z.infer<typeof DeployRecord>;

export const ContextMetrics = z
  .object({
    cpu_percent: z.number(),
    memory_percent: z.number(),
    disk_percent: z.number(),
    rps: z.number(),
    p99_ms: z.number(),
    error_rate: z.number(),
  })
  .partial()
  .catchall(z.unknown());
export type ContextMetrics = z.infer<typeof ContextMetrics>;

/** Optional operational context sent alongside an alert. Every field may be absent. */
export const IncidentContext = z
  .object({
    service: z.string(),
    environment: z.string(),
    replicas: z.number().int().nonnegative(),
    protected: z.boolean(),
    restarts_last_hour: z.number().int().nonnegative(),
    recent_deploys: z.array(DeployRecord),
    metrics: ContextMetrics,
    baseline: ContextMetrics,
  })
  .partial()
  .catchall(z.unknown());
export type IncidentContext = z.infer<typeof IncidentContext>;

/** Maximum accepted `logs` length; longer bodies get a 422 rather than silent truncation. */
export const MAX_LOG_CHARS = 1_000_000;

/** Seed 000 IncidentPayload, plus `context` and `dry_run`. */
export const IncidentPayload = z.object({
  incident_id: z.string().min(1).max(200),
  alert_type: z.string().min(1).max(500),
  logs: z.string().max(MAX_LOG_CHARS),
  container_name: z.string().min(1).max(253).nullish(),
  severity: z.string().max(40).nullish(),
  timestamp: z.string().max(64).nullish(),
  context: IncidentContext.nullish(),
  dry_run: z.boolean().optional(),
});
export type IncidentPayload = z.infer<typeof IncidentPayload>;
