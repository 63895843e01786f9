import { z } from "zod";

/**
 * The integrations registry (seed 003 `/api/v1/integrations`, seed 002
 * `/projects/{id}/monitoring/integrations`): one row per project and name, viewed by both seeds.
 * A kind's settings are one flat `config` object; the fields a kind marks secret are encrypted at rest
 * and only ever shown masked (`••••abcd`).
 */

export const IntegrationKind = z.enum([
  "prometheus",
  "grafana",
  "slack",
  "teams",
  "email",
  "pagerduty",
  "webhook",
  "jira",
]);
export type IntegrationKind = z.infer<typeof IntegrationKind>;

/** Kinds that carry pages (the `Notifier`); the others are sources or sinks read by the product. */
export const NOTIFICATION_KINDS: readonly IntegrationKind[] = ["slack", "teams", "email", "pagerduty", "webhook"];

const url = z.url({ protocol: /^https?$/ });
/** Chat user id (Slack `U…`, Teams AAD object id) → product user email: who a button click acts as. */
const userMap = z.record(z.string().min(1).max(200), z.email()).optional();

/** Each kind's settings; keys listed in `SECRET_FIELDS` are encrypted and masked. */
export const KindConfig = {
  prometheus: z.object({ url, bearer_token: z.string().min(1).optional() }),
  grafana: z.object({ url, api_token: z.string().min(1).optional() }),
  slack: z
    .object({
      /** Web API base (Slack's by default; a test points it at a local server). */
      api_url: url.default("https://slack.com/api"),
      bot_token: z.string().min(1).optional(),
      /** Channel `chat.postMessage` posts to (id or name). */
      channel: z.string().min(1).max(200).optional(),
      webhook_url: url.optional(),
      /** Verifies interactivity callbacks (approve / reject buttons). */
      signing_secret: z.string().min(1).optional(),
      user_map: userMap,
    })
    .refine((c) => c.webhook_url || (c.bot_token && c.channel), {
      message: "slack needs webhook_url, or bot_token with channel",
    }),
  teams: z.object({
    webhook_url: url,
    /** Base64 HMAC key verifying Action.Submit callbacks (as Teams outgoing webhooks sign). */
    callback_secret: z.string().min(1).optional(),
    user_map: userMap,
  }),
  email: z.object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65_535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Check the server's TLS certificate (turn off only for a local relay with a self-signed one). */
    verify_tls: z.boolean().default(true),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    from: z.email(),
    /** Channel pages go to these addresses; user pages to the user's own email. */
    to: z.array(z.email()).default([]),
  }),
  pagerduty: z.object({
    routing_key: z.string().min(1),
    events_url: url.default("https://events.pagerduty.com"),
  }),
  webhook: z.object({ url, secret: z.string().min(16, "must be at least 16 characters") }),
  jira: z.object({
    base_url: url,
    email: z.email(),
    api_token: z.string().min(1),
    project_key: z.string().min(1),
    issue_type: z.string().min(1).default("Task"),
  }),
} as const satisfies Record<IntegrationKind, z.ZodType>;

export type KindConfig<K extends IntegrationKind> = z.output<(typeof KindConfig)[K]>;

export const SECRET_FIELDS: Record<IntegrationKind, readonly string[]> = {
  prometheus: ["bearer_token"],
  grafana: ["api_token"],
  slack: ["bot_token", "webhook_url", "signing_secret"],
  teams: ["webhook_url", "callback_secret"],
  email: ["password"],
  pagerduty: ["routing_key"],
  webhook: ["secret"],
  jira: ["api_token"],
};

export const IntegrationName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lowercase letters, digits, - and _ (max 63)");

/** One integration as both seeds show it (secrets masked). */
export const IntegrationView = z.object({
  id: z.string(),
  name: z.string(),
  type: IntegrationKind,
  enabled: z.boolean(),
  /** `configured` once it has settings; `connected` / `error` after the last test. */
  status: z.enum(["configured", "connected", "error", "disabled"]),
  config: z.record(z.string(), z.unknown()),
  last_test: z
    .object({ ok: z.boolean(), latency_ms: z.number().nullable(), error: z.string().nullable(), at: z.string() })
    .nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type IntegrationView = z.infer<typeof IntegrationView>;

/** What `test` / `test-connection` measured: a real round trip to the system. */
export const ConnectionTest = z.object({
  success: z.boolean(),
  type: IntegrationKind,
  latency_ms: z.number().nullable(),
  /** What the system answered (version, workspace, targets up…). */
  detail: z.string(),
  error: z.string().nullable(),
  tested_at: z.string(),
});
export type ConnectionTest = z.infer<typeof ConnectionTest>;

export const IntegrationLogLevel = z.enum(["info", "warning", "error"]);
export const IntegrationLogEntry = z.object({
  id: z.string(),
  timestamp: z.string(),
  level: IntegrationLogLevel,
  /** `test`, `delivery`, `sync`, `config`, `rotate`, `callback`. */
  event: z.string(),
  status: z.string(),
  message: z.string(),
  latency_ms: z.number().nullable(),
  attempts: z.number().int(),
});
export type IntegrationLogEntry = z.infer<typeof IntegrationLogEntry>;

export const IntegrationMetrics = z.object({
  name: z.string(),
  period: z.string(),
  since: z.string(),
  deliveries: z.object({ sent: z.number().int(), failed: z.number().int(), total: z.number().int() }),
  success_rate: z.number().nullable(),
  latency_ms: z.object({ avg: z.number().nullable(), p95: z.number().nullable(), max: z.number().nullable() }),
  tests: z.object({ ok: z.number().int(), failed: z.number().int() }),
});
export type IntegrationMetrics = z.infer<typeof IntegrationMetrics>;

export const AvailableIntegration = z.object({
  type: IntegrationKind,
  category: z.enum(["monitoring", "notification", "ticketing"]),
  description: z.string(),
  fields: z.array(z.object({ name: z.string(), secret: z.boolean(), required: z.boolean() })),
  configured: z.boolean(),
});
export type AvailableIntegration = z.infer<typeof AvailableIntegration>;
