import { bigserial, boolean, doublePrecision, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

import { ts } from "./schema-columns.js";

/** Seed 003 agent feedback on an incident's diagnosis: stored, shown on the incident, and weighting `related`. */
export const agentFeedback = pgTable(
  "agent_feedback",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    helpful: boolean("helpful").notNull(),
    /** 1..5, null when the person gave only helpful/not helpful. */
    accuracy: integer("accuracy"),
    comment: text("comment"),
    principalKind: text("principal_kind").notNull(),
    principalId: text("principal_id").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("agent_feedback_incident_idx").on(t.projectId, t.incidentId),
    index("agent_feedback_created_idx").on(t.projectId, t.createdAt),
  ],
);

/**
 * Who acknowledged or resolved an incident through seed 003's `?user=` actions, beside the lifecycle
 * transition (whose principal is the credential that called); the resolution text a person gave.
 */
export const incidentResponses = pgTable(
  "incident_responses",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    action: text("action").notNull(), // acknowledge | resolve
    responder: text("responder").notNull(),
    resolution: text("resolution"),
    at: ts("at").notNull(),
  },
  (t) => [index("incident_responses_incident_idx").on(t.projectId, t.incidentId, t.action)],
);

/** An SLO declared for a service: availability objective over a rolling window. */
export const serviceSlos = pgTable(
  "service_slos",
  {
    projectId: text("project_id").notNull(),
    service: text("service").notNull(),
    /** Target availability in percent, e.g. 99.9. */
    objectivePct: doublePrecision("objective_pct").notNull(),
    windowDays: integer("window_days").notNull(),
    description: text("description"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.service] })],
);

/** What one minute of a service's incident impact costs (seed 003 cost-impact). */
export const serviceCosts = pgTable(
  "service_costs",
  {
    projectId: text("project_id").notNull(),
    service: text("service").notNull(),
    costPerMinute: doublePrecision("cost_per_minute").notNull(),
    currency: text("currency").notNull().default("USD"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.service] })],
);

/** Generated reports (seed 003 `reports/generate`): the HTML and its PDF, downloadable later. */
export const insightReports = pgTable(
  "insight_reports",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    reportType: text("report_type").notNull(),
    title: text("title").notNull(),
    html: text("html").notNull(),
    /** The PDF, base64; null when no Chromium was available to render it. */
    pdfBase64: text("pdf_base64"),
    pdfError: text("pdf_error"),
    periodFrom: ts("period_from").notNull(),
    periodTo: ts("period_to").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("insight_reports_created_idx").on(t.projectId, t.createdAt)],
);
