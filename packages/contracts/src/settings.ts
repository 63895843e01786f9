import { z } from "zod";
import { TimeZoneName } from "./oncall.js";

/**
 * What the pipeline does with an action the council approved: `auto` executes it, `approve` sends it
 * to a human first (AWAITING_APPROVAL), `suggest` records it as a suggestion and never executes.
 */
export const AutomationMode = z.enum(["auto", "approve", "suggest"]);
export type AutomationMode = z.infer<typeof AutomationMode>;

/** Remediating actions a mode may be set for (seed 000's ActionType without NOOP). */
export const AutomatedAction = z.enum(["RESTART", "SCALE_UP", "SCALE_DOWN", "ROLLBACK"]);
export type AutomatedAction = z.infer<typeof AutomatedAction>;

export const AutomationSettings = z.object({
  mode: AutomationMode,
  /** A mode for one action type, over `mode`. */
  per_action: z.partialRecord(AutomatedAction, AutomationMode),
});
export type AutomationSettings = z.infer<typeof AutomationSettings>;

/** Events that can go to notification channels. */
export const NotificationEvent = z.enum([
  "incident_opened",
  "escalation_page",
  "approval_requested",
  "incident_resolved",
  "incident_failed",
]);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

/** Which channels (names or ids of the integrations registry) receive which events. */
export const NotificationSettings = z.object({
  enabled: z.boolean(),
  /** Channels of every event without its own list. */
  default_channels: z.array(z.string().trim().min(1).max(200)).max(50),
  routes: z.partialRecord(NotificationEvent, z.array(z.string().trim().min(1).max(200)).max(50)),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

export const GeneralSettings = z.object({
  /** Shown in pages and the cockpit. */
  organization_name: z.string().trim().max(200).nullable(),
  /** Default time zone of new schedules and of dates in pages. */
  time_zone: TimeZoneName,
  /** Base URL of the cockpit; pages link to `<public_url>/incidents/<id>` when set. */
  public_url: z.url().max(2000).nullable(),
});
export type GeneralSettings = z.infer<typeof GeneralSettings>;

export const ProjectSettings = z.object({
  general: GeneralSettings,
  notifications: NotificationSettings,
  automation: AutomationSettings,
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

/** `PUT /api/v1/settings`: any of the sections, each replaced as a whole. */
export const ProjectSettingsUpdate = z
  .object({
    general: GeneralSettings.partial().optional(),
    notifications: NotificationSettings.partial().optional(),
    automation: AutomationSettings.partial().optional(),
  })
  .strict();
export type ProjectSettingsUpdate = z.infer<typeof ProjectSettingsUpdate>;

/** Seed 003's success envelope. */
export function seed003Envelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), message: z.string(), data });
}

/** A page or notification template as the product renders it. */
export const MessageTemplate = z.object({
  id: z.string(),
  event: z.string(),
  description: z.string(),
  title: z.string(),
  body: z.string(),
  variables: z.array(z.string()),
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;

/** A stored backup, as listed (its payload stays on the server). */
export const SettingsBackupInfo = z.object({
  backup_id: z.string(),
  created_at: z.string(),
  created_by: z.string(),
  checksum: z.string(),
  size_bytes: z.number(),
  contents: z.record(z.string(), z.number()),
});
export type SettingsBackupInfo = z.infer<typeof SettingsBackupInfo>;

/** `GET /api/v1/settings/knowledge-base`: the retrieval configuration in use and what the knowledge base holds. */
export const KnowledgeBaseSettings = z.object({
  lexical: z.object({ enabled: z.literal(true), algorithm: z.string() }),
  vectors: z.object({
    enabled: z.boolean(),
    /** Why vectors are off, when they are. */
    status: z.string(),
    embeddings_url: z.string().nullable(),
    embeddings_model: z.string().nullable(),
    min_similarity: z.number(),
  }),
  similar_incidents_per_analysis: z.number(),
  runbooks_per_analysis: z.number(),
  counts: z.object({ runbooks: z.number(), learned_incidents: z.number() }),
  learning: z.string(),
});
export type KnowledgeBaseSettings = z.infer<typeof KnowledgeBaseSettings>;
