import type { Matcher } from "@aegis/contracts";
import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

import { ts } from "./schema-columns.js";

/**
 * An alert group: alerts with one fingerprint (source labels, or service + signature) that arrive while
 * its leader incident is open join it instead of opening another pipeline run.
 */
export const alertGroups = pgTable(
  "alert_groups",
  {
    projectId: text("project_id").notNull(),
    leaderId: text("leader_id").notNull(),
    fingerprint: text("fingerprint").notNull(),
    alertCount: integer("alert_count").notNull().default(1),
    firstSeenAt: ts("first_seen_at").notNull(),
    lastSeenAt: ts("last_seen_at").notNull(),
    /** Set once the group no longer takes alerts (leader resolved, or quiet past the window after it ended). */
    closedAt: ts("closed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.leaderId] }),
    index("alert_groups_open_idx").on(t.projectId, t.fingerprint).where(sql`closed_at is null`),
  ],
);

/** An incident that joined a group rather than running its own pipeline. */
export const alertFollowers = pgTable(
  "alert_followers",
  {
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    leaderId: text("leader_id").notNull(),
    attachedAt: ts("attached_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.incidentId] }),
    index("alert_followers_leader_idx").on(t.projectId, t.leaderId),
  ],
);

/** Every alert received, from every source (seed 002 `/monitoring/alerts`). */
export const receivedAlerts = pgTable(
  "received_alerts",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    source: text("source").notNull(),
    status: text("status").$type<"firing" | "resolved">().notNull(),
    alertname: text("alertname").notNull(),
    severity: text("severity"),
    service: text("service"),
    description: text("description"),
    labels: jsonb("labels").$type<Record<string, string>>().notNull(),
    annotations: jsonb("annotations").$type<Record<string, string>>().notNull(),
    fingerprint: text("fingerprint").notNull(),
    startsAt: ts("starts_at"),
    endsAt: ts("ends_at"),
    receivedAt: ts("received_at").notNull(),
    incidentId: text("incident_id"),
    groupedInto: text("grouped_into"),
    suppressedBy: text("suppressed_by"),
    generatorUrl: text("generator_url"),
  },
  (t) => [index("received_alerts_project_idx").on(t.projectId, t.receivedAt, t.seq)],
);

/** Silences and maintenance windows: matchers and a time window that suppress paging. */
export const silences = pgTable(
  "silences",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    kind: text("kind").$type<"silence" | "maintenance">().notNull(),
    name: text("name"),
    matchers: jsonb("matchers").$type<Matcher[]>().notNull(),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    comment: text("comment").notNull().default(""),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
    suppressed: integer("suppressed").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] }), index("silences_window_idx").on(t.projectId, t.endsAt)],
);

/** A project's alert source: its intake token (SHA-256), PagerDuty signing secret (sealed), counters. */
export const alertSources = pgTable(
  "alert_sources",
  {
    projectId: text("project_id").notNull(),
    source: text("source").notNull(),
    tokenHash: text("token_hash"),
    tokenPrefix: text("token_prefix"),
    /** AES-256-GCM sealed signing secret (PagerDuty verifies with the plaintext, so a hash will not do). */
    signingSecret: text("signing_secret"),
    received: integer("received").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    lastReceivedAt: ts("last_received_at"),
    lastError: text("last_error"),
    lastEventType: text("last_event_type"),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.source] }), index("alert_sources_token_idx").on(t.tokenHash)],
);
