import type { EscalationLevel, ProjectSettings, ScheduleLayer } from "@aegis/contracts";
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

/*
 * Every table's project_id references projects(id): the foreign keys are in migration 0011. They are not
 * declared here because this file cannot import `projects` from schema.ts (which re-exports this file)
 * without an import cycle.
 */
import { ts } from "./schema-columns.js";

/** A stored override (its id assigned on write). */
export interface StoredOverride {
  id: string;
  user: string;
  start: string;
  end: string;
  reason?: string | undefined;
}

/** On-call schedules: layers and overrides are read and written whole with their schedule. */
export const oncallSchedules = pgTable(
  "oncall_schedules",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    timeZone: text("time_zone").notNull(),
    layers: jsonb("layers").$type<ScheduleLayer[]>().notNull(),
    overrides: jsonb("overrides").$type<StoredOverride[]>().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] })],
);

/** Escalation policies; at most one per (project, service), the one with no service being the project's default. */
export const escalationPolicies = pgTable(
  "escalation_policies",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    service: text("service"),
    trigger: text("trigger").notNull(),
    repeat: integer("repeat").notNull().default(0),
    levels: jsonb("levels").$type<EscalationLevel[]>().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    uniqueIndex("escalation_policies_service_uq").on(t.projectId, sql`coalesce(${t.service}, '')`),
  ],
);

/** The policy as it was when an escalation started (a later edit does not change a running escalation). */
export interface PolicySnapshot {
  id: string;
  name: string;
  trigger: string;
  repeat: number;
  levels: EscalationLevel[];
}

/**
 * One incident's escalation: which level was paged last, when the next step is due, and why it ended.
 * A sweep claims due rows with FOR UPDATE SKIP LOCKED and pushes `next_at` out by a lease while it pages.
 */
export const escalations = pgTable(
  "escalations",
  {
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    policyId: text("policy_id"),
    policy: jsonb("policy").$type<PolicySnapshot>(),
    state: text("state").notNull(),
    /** 1-based level paged last; 0 before the first page. */
    level: integer("level").notNull().default(0),
    round: integer("round").notNull().default(0),
    nextAt: ts("next_at"),
    pagesSent: integer("pages_sent").notNull().default(0),
    stopReason: text("stop_reason"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.incidentId] }), index("escalations_due_idx").on(t.state, t.nextAt)],
);

/** A project's settings (seed 003), one document per project. */
export const projectSettings = pgTable("project_settings", {
  projectId: text("project_id").primaryKey(),
  settings: jsonb("settings").$type<ProjectSettings>().notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  updatedBy: text("updated_by"),
});

/** Configuration backups: the payload is kept as the exact text its checksum covers. */
export const settingsBackups = pgTable(
  "settings_backups",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    payload: text("payload").notNull(),
    checksum: text("checksum").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] })],
);
