import { boolean, index, integer, jsonb, pgTable, primaryKey, real, text, uniqueIndex } from "drizzle-orm/pg-core";

import { ts } from "./schema-columns.js";

/**
 * The integrations registry (seeds 002 and 003): one row per project and name. `config` holds the
 * plain settings; `secrets` each secret field as an AES-256-GCM envelope (`integrations/secret-box.ts`).
 */
export const integrations = pgTable(
  "integrations",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    secrets: jsonb("secrets").$type<Record<string, string>>().notNull(),
    lastTestOk: boolean("last_test_ok"),
    lastTestLatencyMs: real("last_test_latency_ms"),
    lastTestError: text("last_test_error"),
    lastTestAt: ts("last_test_at"),
    secretsRotatedAt: ts("secrets_rotated_at"),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    uniqueIndex("integrations_name_uq").on(t.projectId, t.name),
    // Chat callbacks name the integration in their URL, before any project is known.
    uniqueIndex("integrations_id_uq").on(t.id),
  ],
);

/** What an integration did: tests, deliveries (one row per page and target, updated per attempt), syncs, callbacks. */
export const integrationEvents = pgTable(
  "integration_events",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    integrationId: text("integration_id").notNull(),
    event: text("event").notNull(),
    level: text("level").$type<"info" | "warning" | "error">().notNull(),
    status: text("status").notNull(),
    message: text("message").notNull(),
    latencyMs: real("latency_ms"),
    attempts: integer("attempts").notNull().default(0),
    incidentId: text("incident_id"),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    index("integration_events_integration_idx").on(t.projectId, t.integrationId, t.createdAt),
  ],
);
