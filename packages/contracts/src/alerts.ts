import { z } from "zod";

/**
 * Alert intake: the wire formats of the alert sources (Prometheus Alertmanager, Grafana alerting,
 * PagerDuty v3 webhooks), silences and maintenance windows, and the seed-002 alert list.
 */

const Labels = z.record(z.string(), z.string());

/** One alert of an Alertmanager (v4) or Grafana notification. */
export const SourceAlert = z
  .object({
    status: z.enum(["firing", "resolved"]),
    labels: Labels,
    annotations: Labels.default({}),
    startsAt: z.string(),
    endsAt: z.string().optional(),
    generatorURL: z.string().optional(),
    fingerprint: z.string().optional(),
  })
  .passthrough();
export type SourceAlert = z.infer<typeof SourceAlert>;

/** Prometheus Alertmanager's webhook_config payload, version 4. */
export const AlertmanagerPayload = z
  .object({
    version: z.string(),
    groupKey: z.string().min(1),
    truncatedAlerts: z.number().int().nonnegative().optional(),
    status: z.enum(["firing", "resolved"]),
    receiver: z.string(),
    groupLabels: Labels.default({}),
    commonLabels: Labels.default({}),
    commonAnnotations: Labels.default({}),
    externalURL: z.string().default(""),
    alerts: z.array(SourceAlert).min(1).max(10_000),
  })
  .passthrough();
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayload>;

/** Grafana (unified alerting) webhook contact point payload: Alertmanager's shape plus Grafana's fields. */
export const GrafanaPayload = AlertmanagerPayload.extend({
  groupKey: z.string().default("{}"),
  orgId: z.number().int().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
}).passthrough();
export type GrafanaPayload = z.infer<typeof GrafanaPayload>;

/** PagerDuty v3 webhook: one event per delivery. */
export const PagerDutyWebhook = z.object({
  event: z
    .object({
      id: z.string().min(1),
      event_type: z.string().min(1),
      resource_type: z.string(),
      occurred_at: z.string(),
      agent: z.object({ id: z.string().optional(), summary: z.string().optional() }).passthrough().nullish(),
      data: z
        .object({
          id: z.string().min(1),
          type: z.string().optional(),
          html_url: z.string().optional(),
          number: z.number().optional(),
          status: z.string().optional(),
          incident_key: z.string().nullish(),
          title: z.string().optional(),
          urgency: z.string().optional(),
          service: z.object({ id: z.string().optional(), summary: z.string().optional() }).passthrough().nullish(),
        })
        .passthrough(),
    })
    .passthrough(),
});
export type PagerDutyWebhook = z.infer<typeof PagerDutyWebhook>;

export const AlertSourceName = z.enum(["alertmanager", "grafana", "pagerduty"]);
export type AlertSourceName = z.infer<typeof AlertSourceName>;

/** Where alerts of a project come from: its intake URL (the token is shown once, when created). */
export const AlertSourceView = z.object({
  source: AlertSourceName,
  configured: z.boolean(),
  /** Path of the intake URL; the token part is masked except right after rotation. */
  url: z.string().nullable(),
  token: z.string().nullable(),
  signing_secret_configured: z.boolean(),
  received: z.number().int(),
  rejected: z.number().int(),
  last_received_at: z.string().nullable(),
  last_event_type: z.string().nullable(),
  last_error: z.string().nullable(),
});
export type AlertSourceView = z.infer<typeof AlertSourceView>;

export const ConfigureAlertSource = z.object({
  /** PagerDuty only: the webhook subscription's signing secret (X-PagerDuty-Signature). */
  signing_secret: z.string().min(8).max(512).optional(),
  /** Issue a new intake token (the previous one stops working). Default true when none exists. */
  rotate_token: z.boolean().optional(),
});

/** An Alertmanager-style matcher: `name` (=|!=|=~|!~) `value`. */
export const Matcher = z.object({
  name: z.string().min(1).max(200),
  value: z.string().max(1000),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});
export type Matcher = z.infer<typeof Matcher>;

const window = {
  matchers: z.array(Matcher).min(1).max(50),
  startsAt: z.string().datetime({ offset: true }),
  endsAt: z.string().datetime({ offset: true }),
  comment: z.string().max(2000).default(""),
};
export const CreateSilence = z.object(window);
export type CreateSilence = z.infer<typeof CreateSilence>;
export const CreateMaintenanceWindow = z.object({ ...window, name: z.string().min(1).max(200) });
export type CreateMaintenanceWindow = z.infer<typeof CreateMaintenanceWindow>;
export const UpdateSilence = z.object({
  matchers: window.matchers.optional(),
  startsAt: window.startsAt.optional(),
  endsAt: window.endsAt.optional(),
  comment: z.string().max(2000).optional(),
  name: z.string().min(1).max(200).optional(),
});
export type UpdateSilence = z.infer<typeof UpdateSilence>;

export const SilenceState = z.enum(["pending", "active", "expired"]);
export const SilenceView = z.object({
  id: z.string(),
  kind: z.enum(["silence", "maintenance"]),
  name: z.string().nullable(),
  matchers: z.array(Matcher),
  startsAt: z.string(),
  endsAt: z.string(),
  comment: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.object({ state: SilenceState }),
  /** Alerts this silence or window has suppressed so far. */
  suppressed: z.number().int(),
});
export type SilenceView = z.infer<typeof SilenceView>;

/** Seed 002 `GET /projects/{id}/monitoring/alerts`: one alert as received. */
export const ReceivedAlert = z.object({
  id: z.string(),
  source: z.string(),
  status: z.enum(["firing", "resolved"]),
  alertname: z.string(),
  severity: z.string().nullable(),
  service: z.string().nullable(),
  description: z.string().nullable(),
  labels: Labels,
  annotations: Labels,
  fingerprint: z.string(),
  starts_at: z.string().nullable(),
  ends_at: z.string().nullable(),
  received_at: z.string(),
  incident_id: z.string().nullable(),
  /** The open incident the alert joined (its own incident when it opened one). */
  grouped_into: z.string().nullable(),
  suppressed_by: z.string().nullable(),
  generator_url: z.string().nullable(),
});
export type ReceivedAlert = z.infer<typeof ReceivedAlert>;
