import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, real, text } from "drizzle-orm/pg-core";

import { ts } from "./schema-columns.js";

/**
 * The audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and hash-chained per
 * project. `hash` = SHA-256 over `prev_hash` and the row's canonical content (audit/audit-chain.ts).
 * No foreign key to projects: deleting a project must not delete (or be blocked by) its audit trail.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    projectId: text("project_id").notNull(),
    /** 1, 2, 3… per project: the chain's order. */
    seq: bigint("seq", { mode: "number" }).notNull(),
    at: ts("at").notNull(),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    outcome: text("outcome").$type<"success" | "failure">().notNull(),
    statusCode: integer("status_code"),
    before: jsonb("before"),
    after: jsonb("after"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.seq] }),
    index("audit_log_project_at_idx").on(t.projectId, t.at),
    index("audit_log_project_action_idx").on(t.projectId, t.action),
  ],
);

/** The head of each project's chain: locked FOR UPDATE by every writer, so appends stay linear. */
export const auditChainHeads = pgTable("audit_chain_heads", {
  projectId: text("project_id").primaryKey(),
  seq: bigint("seq", { mode: "number" }).notNull(),
  hash: text("hash").notNull(),
});

/** Every API request (onResponse), written in batches; pruned after the retention period. */
export const accessLog = pgTable(
  "access_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Null for requests no credential identified (public routes, refused keys). */
    projectId: text("project_id"),
    at: ts("at").notNull(),
    principalKind: text("principal_kind"),
    principalId: text("principal_id"),
    principalName: text("principal_name"),
    method: text("method").notNull(),
    /** The route pattern (`/api/v1/incidents/:id`), or the path when no route matched. */
    route: text("route").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    latencyMs: real("latency_ms").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
  },
  (t) => [index("access_log_project_at_idx").on(t.projectId, t.at), index("access_log_at_idx").on(t.at)],
);

/** Security-relevant events, emitted where they happen (accounts, council, API hooks). */
export const securityEvents = pgTable(
  "security_events",
  {
    id: text("id").primaryKey(),
    /** Null when no project can be named (a failed login for an unknown email): operators see those. */
    projectId: text("project_id"),
    at: ts("at").notNull(),
    type: text("type").notNull(),
    severity: text("severity").$type<"low" | "medium" | "high" | "critical">().notNull(),
    principal: text("principal"),
    ip: text("ip"),
    message: text("message").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("security_events_project_at_idx").on(t.projectId, t.at), index("security_events_at_idx").on(t.at)],
);

/** Addresses each API key has been used from, to flag the first use from a new one. */
export const apiKeyAddresses = pgTable(
  "api_key_addresses",
  {
    keyId: text("key_id").notNull(),
    ip: text("ip").notNull(),
    firstSeen: ts("first_seen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.ip] })],
);
