import type { AIAnalysis, CouncilDecision, IncidentContext } from "@aegis/contracts";
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { IncidentCategory } from "../ports/analyst.js";

import { ts } from "./schema-columns.js";

export const projects = pgTable("projects", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** The owning tenant; null for the default project, which the bootstrap admin key owns. */
  tenantId: text("tenant_id"),
  createdAt: ts("created_at").notNull().defaultNow(),
});

/** One incident per (project, incident_id); the incident_id is the client's. */
export const incidents = pgTable(
  "incidents",
  {
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    id: text("id").notNull(),
    alertType: text("alert_type").notNull(),
    logs: text("logs").notNull(),
    containerName: text("container_name"),
    severity: text("severity"),
    alertTimestamp: text("alert_timestamp"),
    context: jsonb("context").$type<IncidentContext>(),
    dryRun: boolean("dry_run").notNull().default(false),
    status: text("status").notNull(),
    analysis: jsonb("analysis").$type<AIAnalysis>(),
    category: text("category").$type<IncidentCategory>(),
    evidence: jsonb("evidence").$type<string[]>(),
    provider: text("provider"),
    councilDecision: jsonb("council_decision").$type<CouncilDecision>(),
    /**
     * Who approved the action when a human did (POST /approve); null when the council approved it on
     * its own. A human's approval is their decision and overrides the restart budget.
     */
    approvedBy: text("approved_by"),
    resolvedAt: ts("resolved_at"),
    error: text("error"),
    replicasSpawned: integer("replicas_spawned").notNull().default(0),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    /** `INC-<number>`, the seed-001 reference: one sequence for every project, so it never collides under concurrent ingest. */
    number: bigserial("number", { mode: "number" }).notNull(),
    /** The human lifecycle (`detected` … `learned`), orthogonal to the automation `status`. */
    lifecycle: text("lifecycle").notNull().default("detected"),
    /**
     * The lifecycle's first move out of `detected` and its first move to `resolved`: kept by a trigger on
     * `incident_transitions` (migration 0014), whoever writes a transition, so MTTA and MTTR are one range
     * scan of incidents instead of joins of a month of transitions (ADR 0017, amendment of 2026-12-07).
     */
    acknowledgedAt: ts("acknowledged_at"),
    firstResolvedAt: ts("first_resolved_at"),
    /** /api/v1 fields a person sets (POST/PATCH); the pipeline's inputs (alert_type, logs) are never rewritten. */
    title: text("title"),
    description: text("description"),
    service: text("service"),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    // Lists are newest first within a project; the id breaks ties, so the index serves ORDER BY … LIMIT alone.
    index("incidents_created_idx").on(t.projectId, t.createdAt, t.id),
    uniqueIndex("incidents_number_uq").on(t.projectId, t.number),
  ],
);

export const timelineEntries = pgTable(
  "timeline_entries",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    ts: ts("ts").notNull(),
    status: text("status").notNull(),
    message: text("message").notNull(),
    agent: text("agent"),
  },
  (t) => [index("timeline_incident_idx").on(t.projectId, t.incidentId, t.seq)],
);

export const councilVotes = pgTable(
  "council_votes",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    role: text("role").notNull(),
    verdict: text("verdict").notNull(),
    reasoning: text("reasoning").notNull(),
    ts: ts("ts").notNull(),
  },
  (t) => [index("votes_incident_idx").on(t.projectId, t.incidentId)],
);

/** Pipeline jobs; claimed with FOR UPDATE SKIP LOCKED and held by a renewable lease. */
export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    state: text("state").notNull(), // queued | running | waiting | done
    attempts: integer("attempts").notNull().default(0),
    lockedBy: text("locked_by"),
    lockedUntil: ts("locked_until"),
    runAfter: ts("run_after").notNull().defaultNow(),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("jobs_incident_uq").on(t.projectId, t.incidentId),
    // Claims read only queued jobs and the reaper only running ones: partial indexes keep both
    // cheap however many finished jobs the table holds.
    index("jobs_queued_idx").on(t.id).where(sql`state = 'queued'`),
    index("jobs_running_idx").on(t.lockedUntil).where(sql`state = 'running'`),
    // The approval-expiry sweep reads only parked jobs, oldest first.
    index("jobs_waiting_idx").on(t.updatedAt).where(sql`state = 'waiting'`),
  ],
);

/** Remediation actions, keyed for idempotency: a started action is verified, never blindly repeated. */
export const actions = pgTable(
  "actions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    kind: text("kind").notNull(),
    target: text("target").notNull(),
    params: jsonb("params"),
    state: text("state").notNull(), // started | succeeded | failed
    result: jsonb("result"),
    error: text("error"),
    startedAt: ts("started_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    uniqueIndex("actions_key_uq").on(t.projectId, t.idempotencyKey),
    index("actions_target_idx").on(t.projectId, t.target, t.startedAt),
  ],
);

/** Learned incidents (seed 000 RunbookEntry) with the outcome of their fix. */
export const knowledgeEntries = pgTable(
  "knowledge_entries",
  {
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    alertType: text("alert_type").notNull(),
    logs: text("logs").notNull(),
    containerName: text("container_name"),
    severity: text("severity"),
    rootCause: text("root_cause").notNull(),
    action: text("action").notNull(),
    justification: text("justification").notNull(),
    confidence: doublePrecision("confidence").notNull(),
    councilApproved: boolean("council_approved").notNull(),
    replicasUsed: integer("replicas_used").notNull().default(0),
    resolvedAt: ts("resolved_at"),
    outcome: text("outcome").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.incidentId] })],
);

/** Runbook documents (seed 001): markdown bodies searched by the knowledge base. */
export const runbooks = pgTable(
  "runbooks",
  {
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    id: text("id").notNull(),
    title: text("title").notNull(),
    service: text("service").notNull(),
    body: text("body").notNull(),
    url: text("url"),
    tags: jsonb("tags").$type<string[]>().notNull().default([]),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] })],
);

/**
 * Embeddings of knowledge documents (runbooks and learned incidents), one per model, with the hash
 * of the text embedded so unchanged documents are never re-embedded. real[] and in-process cosine:
 * pgvector is not available on every database this product runs on.
 */
export const knowledgeEmbeddings = pgTable(
  "knowledge_embeddings",
  {
    projectId: text("project_id").notNull(),
    source: text("source").notNull(), // runbook | incident
    docId: text("doc_id").notNull(),
    model: text("model").notNull(),
    contentHash: text("content_hash").notNull(),
    vector: real("vector").array().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.source, t.docId, t.model] })],
);

/** Every model call (and analysis-cache hit): tokens, latency and cost per provider (seed 002 analytics). */
export const llmCalls = pgTable(
  "llm_calls",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id"),
    requestType: text("request_type").notNull(), // hypothesis | analyze | review
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    latencyMs: integer("latency_ms").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    cacheHit: boolean("cache_hit").notNull().default(false),
    ok: boolean("ok").notNull().default(true),
    error: text("error"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("llm_calls_created_idx").on(t.projectId, t.createdAt),
    index("llm_calls_incident_idx").on(t.projectId, t.incidentId),
  ],
);

/** Ranked hypotheses of an incident's diagnosis (seed 002 shape). */
export const hypotheses = pgTable(
  "hypotheses",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    rank: integer("rank").notNull(),
    claim: text("claim").notNull(),
    description: text("description").notNull(),
    confidenceScore: doublePrecision("confidence_score").notNull(),
    confidenceLower: doublePrecision("confidence_lower").notNull(),
    confidenceUpper: doublePrecision("confidence_upper").notNull(),
    supportingEvidence: jsonb("supporting_evidence").$type<string[]>().notNull(),
    contradictingEvidence: jsonb("contradicting_evidence").$type<string[]>().notNull(),
    provider: text("provider").notNull(),
    userFeedback: text("user_feedback"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("hypotheses_incident_idx").on(t.projectId, t.incidentId, t.rank)],
);

/** Facts an analysis used (tool results, knowledge, logs), seed 001 `citations`. */
export const citations = pgTable(
  "citations",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    source: text("source").notNull(),
    reference: text("reference").notNull(),
    excerpt: text("excerpt").notNull(),
    observedAt: ts("observed_at").notNull(),
  },
  (t) => [index("citations_incident_idx").on(t.projectId, t.incidentId, t.seq)],
);

/**
 * Downsampled metric history of the predictive monitor (seed 004), the training set of its model.
 * One row per (server, data time): a replayed batch is stored once. Metrics are typed columns, not
 * jsonb: batches are inserted through `unnest` of one array per column, and real/integer columns
 * take less than half the space of the equivalent jsonb.
 */
export const monitorSamples = pgTable(
  "monitor_samples",
  {
    projectId: text("project_id").notNull(),
    serverName: text("server_name").notNull(),
    ts: ts("ts").notNull(),
    status: text("status").notNull(),
    cpuUserPct: real("cpu_user_pct").notNull(),
    cpuSysPct: real("cpu_sys_pct").notNull(),
    cpuIowaitPct: real("cpu_iowait_pct").notNull(),
    cpuIdlePct: real("cpu_idle_pct").notNull(),
    javaCpuPct: real("java_cpu_pct").notNull(),
    memUsedPct: real("mem_used_pct").notNull(),
    swapUsedPct: real("swap_used_pct").notNull(),
    diskUsagePct: real("disk_usage_pct").notNull(),
    netInMbS: real("net_in_mb_s").notNull(),
    netOutMbS: real("net_out_mb_s").notNull(),
    backCloseWait: integer("back_close_wait").notNull(),
    frontCloseWait: integer("front_close_wait").notNull(),
    loadAverage: real("load_average").notNull(),
    uptimeDays: integer("uptime_days").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.serverName, t.ts] }),
    // Training reads in data-time order (keyset on ts, server) and retention deletes by ts.
    index("monitor_samples_ts_idx").on(t.projectId, t.ts, t.serverName),
  ],
);

/** Alert level changes of monitored servers; raising events get `resolved_at` when their server is healthy again. */
export const monitorAlertEvents = pgTable(
  "monitor_alert_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    ts: ts("ts").notNull(),
    serverName: text("server_name").notNull(),
    profile: text("profile").notNull(),
    eventType: text("event_type").notNull(), // raised | escalated | deescalated | resolved
    previousLevel: text("previous_level").notNull(),
    newLevel: text("new_level").notNull(),
    riskScore: doublePrecision("risk_score").notNull(),
    message: text("message"),
    resolvedAt: ts("resolved_at"),
    resolutionDurationMinutes: doublePrecision("resolution_duration_minutes"),
  },
  (t) => [
    index("monitor_alert_events_ts_idx").on(t.projectId, t.ts),
    index("monitor_alert_events_server_idx").on(t.projectId, t.serverName, t.ts),
  ],
);

/** Fleet health over time (seed 004 `/historical/environment`). */
export const monitorFleetSnapshots = pgTable(
  "monitor_fleet_snapshots",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    ts: ts("ts").notNull(),
    totalServers: integer("total_servers").notNull(),
    criticalCount: integer("critical_count").notNull(),
    warningCount: integer("warning_count").notNull(),
    degradedCount: integer("degraded_count").notNull(),
    healthyCount: integer("healthy_count").notNull(),
    fleetHealth: doublePrecision("fleet_health").notNull(),
    prob30m: doublePrecision("prob_30m").notNull(),
    prob8h: doublePrecision("prob_8h").notNull(),
  },
  (t) => [index("monitor_fleet_snapshots_ts_idx").on(t.projectId, t.ts)],
);

/** Fitted monitor models: the JSON file under `<dataDir>/models/` and what is known of it. At most one is current. */
export const monitorModels = pgTable(
  "monitor_models",
  {
    projectId: text("project_id").notNull(),
    name: text("name").notNull(),
    version: integer("version").notNull(),
    created: ts("created").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    path: text("path").notNull(),
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    isCurrent: boolean("is_current").notNull().default(false),
    metrics: jsonb("metrics").$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.name] }),
    uniqueIndex("monitor_models_current_uq").on(t.projectId).where(sql`is_current`),
  ],
);

/**
 * Training runs of the monitor model. At most one runs per project, across server instances (partial
 * unique index); `heartbeat_at` lets a starting server tell a crashed run from one still alive elsewhere.
 */
export const monitorTrainings = pgTable(
  "monitor_trainings",
  {
    projectId: text("project_id").notNull(),
    trainingId: text("training_id").notNull(),
    startedAt: ts("started_at").notNull(),
    finishedAt: ts("finished_at"),
    heartbeatAt: ts("heartbeat_at").notNull(),
    status: text("status").notNull(), // running | succeeded | failed | cancelled
    epochs: integer("epochs").notNull(),
    incremental: boolean("incremental").notNull(),
    epoch: integer("epoch").notNull().default(0),
    loss: doublePrecision("loss"),
    samples: integer("samples").notNull().default(0),
    error: text("error"),
    modelName: text("model_name"),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.trainingId] }),
    uniqueIndex("monitor_trainings_running_uq").on(t.projectId).where(sql`status = 'running'`),
  ],
);

/** Every change of an incident's human lifecycle, with who made it (seed 002 `PATCH …/state`). */
export const incidentTransitions = pgTable(
  "incident_transitions",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    fromState: text("from_state").notNull(),
    toState: text("to_state").notNull(),
    at: ts("at").notNull(),
    principalKind: text("principal_kind").notNull(),
    principalId: text("principal_id").notNull(),
    note: text("note"),
  },
  (t) => [
    index("incident_transitions_incident_idx").on(t.projectId, t.incidentId, t.seq),
    // The dashboard's "resolved in the last 24 h" and the trends' resolved buckets: moves to one state in a time range.
    index("incident_transitions_to_state_at_idx").on(t.projectId, t.toState, t.at),
  ],
);

/**
 * Seed 001 tickets. Every ticket is stored here first; `sink` says where else it went (`jira` with its
 * issue key and browse URL, or `local` when no ticketing system is configured).
 */
export const tickets = pgTable(
  "tickets",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    incidentId: text("incident_id"),
    title: text("title").notNull(),
    description: text("description").notNull(),
    priority: text("priority").notNull(), // critical | high | medium | low
    assignee: text("assignee"),
    sink: text("sink").notNull(), // local | jira
    externalKey: text("external_key"),
    externalUrl: text("external_url"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] }), index("tickets_created_idx").on(t.projectId, t.createdAt)],
);

/**
 * Seed 001 outbound webhooks. The secret is kept in clear because every delivery is signed with it
 * (HMAC needs the key itself); it is never returned by the API after registration.
 */
export const outboundWebhooks = pgTable(
  "outbound_webhooks",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    url: text("url").notNull(),
    events: jsonb("events").$type<string[]>().notNull(),
    secret: text("secret").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] })],
);

/** Durable log of webhook deliveries: one row per event and webhook, updated after every attempt. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    webhookId: text("webhook_id").notNull(),
    event: text("event").notNull(),
    body: text("body").notNull(), // the exact bytes signed and sent, so a retry re-sends them unchanged
    status: text("status").notNull(), // pending | delivered | failed
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
    deliveredAt: ts("delivered_at"),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    index("webhook_deliveries_hook_idx").on(t.projectId, t.webhookId, t.createdAt),
    index("webhook_deliveries_pending_idx").on(t.status).where(sql`status = 'pending'`),
  ],
);

/** A customer organisation: its users and projects (seed 002). */
export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

/** A person who signs in; `password_hash` is an argon2id PHC string. */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    email: text("email").notNull(),
    fullName: text("full_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email)],
);

/** A user's role in a project (owner, admin, member, viewer). */
export const projectMembers = pgTable(
  "project_members",
  {
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role").$type<"owner" | "admin" | "member" | "viewer">().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index("project_members_user_idx").on(t.userId)],
);

/**
 * Refresh tokens, stored as SHA-256 of the token. Each rotation marks the old one used and issues the next
 * in the same family; presenting a used token again revokes the whole family (reuse detection).
 */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    familyId: text("family_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    projectId: text("project_id").notNull(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    revokedAt: ts("revoked_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("refresh_tokens_family_idx").on(t.familyId)],
);

/** Per-project API keys, stored as SHA-256 of the key (shown once at creation). */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull(),
    prefix: text("prefix").notNull(),
    role: text("role").$type<"owner" | "admin" | "member" | "viewer">().notNull(),
    createdBy: text("created_by").notNull(),
    expiresAt: ts("expires_at"),
    revokedAt: ts("revoked_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("api_keys_hash_uq").on(t.keyHash), index("api_keys_project_idx").on(t.projectId)],
);
export * from "./schema-alerts.js";
export * from "./schema-audit.js";
export * from "./schema-insights.js";
export * from "./schema-integrations.js";
export * from "./schema-oncall.js";
