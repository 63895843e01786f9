import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { hypotheses } from "./schema.js";
import { agentFeedback, incidentResponses, insightReports, serviceCosts, serviceSlos } from "./schema-insights.js";

export type SloRow = typeof serviceSlos.$inferSelect;
export type CostRow = typeof serviceCosts.$inferSelect;
export type FeedbackRow = typeof agentFeedback.$inferSelect;
export type ReportRow = typeof insightReports.$inferSelect;
export type ResponseRow = typeof incidentResponses.$inferSelect;

/** What operators declare for analytics (SLOs, cost rates) and what people record (feedback, responses, reports). */
export class InsightSettingsStore {
  slos(db: Db, projectId: string): Promise<SloRow[]> {
    return db.select().from(serviceSlos).where(eq(serviceSlos.projectId, projectId)).orderBy(asc(serviceSlos.service));
  }

  async putSlo(
    db: Db,
    projectId: string,
    service: string,
    s: { objective_pct: number; window_days: number; description?: string | undefined },
  ): Promise<SloRow> {
    const now = new Date();
    const values = { objectivePct: s.objective_pct, windowDays: s.window_days, description: s.description ?? null };
    const [row] = await db
      .insert(serviceSlos)
      .values({ projectId, service, ...values, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [serviceSlos.projectId, serviceSlos.service], set: { ...values, updatedAt: now } })
      .returning();
    return row as SloRow;
  }

  async deleteSlo(db: Db, projectId: string, service: string): Promise<boolean> {
    const gone = await db
      .delete(serviceSlos)
      .where(and(eq(serviceSlos.projectId, projectId), eq(serviceSlos.service, service)))
      .returning({ s: serviceSlos.service });
    return gone.length > 0;
  }

  costRates(db: Db, projectId: string): Promise<CostRow[]> {
    return db
      .select()
      .from(serviceCosts)
      .where(eq(serviceCosts.projectId, projectId))
      .orderBy(asc(serviceCosts.service));
  }

  async putCostRate(
    db: Db,
    projectId: string,
    service: string,
    c: { cost_per_minute: number; currency: string },
  ): Promise<CostRow> {
    const values = { costPerMinute: c.cost_per_minute, currency: c.currency, updatedAt: new Date() };
    const [row] = await db
      .insert(serviceCosts)
      .values({ projectId, service, ...values })
      .onConflictDoUpdate({ target: [serviceCosts.projectId, serviceCosts.service], set: values })
      .returning();
    return row as CostRow;
  }

  async deleteCostRate(db: Db, projectId: string, service: string): Promise<boolean> {
    const gone = await db
      .delete(serviceCosts)
      .where(and(eq(serviceCosts.projectId, projectId), eq(serviceCosts.service, service)))
      .returning({ s: serviceCosts.service });
    return gone.length > 0;
  }

  async addFeedback(db: Db, f: Omit<FeedbackRow, "id" | "createdAt">): Promise<FeedbackRow> {
    const [row] = await db.insert(agentFeedback).values(f).returning();
    return row as FeedbackRow;
  }

  /** Show the latest feedback on the incident's hypotheses (seed 002 `user_feedback`). */
  async markHypotheses(db: Db, projectId: string, incidentId: string, verdict: string): Promise<void> {
    await db
      .update(hypotheses)
      .set({ userFeedback: verdict })
      .where(and(eq(hypotheses.projectId, projectId), eq(hypotheses.incidentId, incidentId)));
  }

  feedbackOf(db: Db, projectId: string, incidentId: string): Promise<FeedbackRow[]> {
    return db
      .select()
      .from(agentFeedback)
      .where(and(eq(agentFeedback.projectId, projectId), eq(agentFeedback.incidentId, incidentId)))
      .orderBy(asc(agentFeedback.id));
  }

  /** Net helpfulness per incident (helpful − not helpful votes) and mean accuracy, for ranking. */
  async feedbackScores(
    db: Db,
    projectId: string,
    incidentIds: string[],
  ): Promise<Map<string, { helpful: number; unhelpful: number; accuracy: number | null }>> {
    const out = new Map<string, { helpful: number; unhelpful: number; accuracy: number | null }>();
    if (incidentIds.length === 0) return out;
    const rows = await db
      .select({
        incidentId: agentFeedback.incidentId,
        helpful: sql<number>`count(*) filter (where ${agentFeedback.helpful})::int`,
        unhelpful: sql<number>`count(*) filter (where not ${agentFeedback.helpful})::int`,
        accuracy: sql<number | null>`avg(${agentFeedback.accuracy})::float8`,
      })
      .from(agentFeedback)
      .where(and(eq(agentFeedback.projectId, projectId), inArray(agentFeedback.incidentId, incidentIds)))
      .groupBy(agentFeedback.incidentId);
    for (const r of rows) {
      out.set(r.incidentId, {
        helpful: Number(r.helpful),
        unhelpful: Number(r.unhelpful),
        accuracy: r.accuracy === null ? null : Number(r.accuracy),
      });
    }
    return out;
  }

  /** Feedback per UTC week since `from`: votes, helpful ones and the mean accuracy given. */
  async feedbackByWeek(
    db: Db,
    projectId: string,
    from: Date,
  ): Promise<{ week: Date; total: number; helpful: number; accuracy: number | null; rated: number }[]> {
    const rows = await db
      .select({
        week: sql<number>`extract(epoch from date_trunc('week', ${agentFeedback.createdAt} at time zone 'UTC'))`,
        total: sql<number>`count(*)::int`,
        helpful: sql<number>`count(*) filter (where ${agentFeedback.helpful})::int`,
        accuracy: sql<number | null>`avg(${agentFeedback.accuracy})::float8`,
        rated: sql<number>`count(${agentFeedback.accuracy})::int`,
      })
      .from(agentFeedback)
      .where(and(eq(agentFeedback.projectId, projectId), sql`${agentFeedback.createdAt} >= ${from}`))
      .groupBy(sql`1`)
      .orderBy(sql`1`);
    return rows.map((r) => ({
      week: new Date(Number(r.week) * 1000),
      total: Number(r.total),
      helpful: Number(r.helpful),
      accuracy: r.accuracy === null ? null : Number(r.accuracy),
      rated: Number(r.rated),
    }));
  }

  /** Learned fixes per UTC week since `from`, by outcome (RESOLVED, REOPENED, ROLLED_BACK, FAILED). */
  async outcomesByWeek(db: Db, projectId: string, from: Date): Promise<{ week: Date; outcome: string; n: number }[]> {
    const r = await db.execute(sql`select extract(epoch from date_trunc('week', created_at at time zone 'UTC')) as week,
        outcome, count(*)::int as n from knowledge_entries where project_id = ${projectId} and created_at >= ${from}
        group by 1, 2 order by 1`);
    const rows = (Array.isArray(r) ? r : (r as { rows: Record<string, unknown>[] }).rows) as Record<string, unknown>[];
    return rows.map((x) => ({ week: new Date(Number(x.week) * 1000), outcome: String(x.outcome), n: Number(x.n) }));
  }

  async addResponse(db: Db, r: Omit<ResponseRow, "id">): Promise<void> {
    await db.insert(incidentResponses).values(r);
  }

  responsesOf(db: Db, projectId: string, incidentId: string): Promise<ResponseRow[]> {
    return db
      .select()
      .from(incidentResponses)
      .where(and(eq(incidentResponses.projectId, projectId), eq(incidentResponses.incidentId, incidentId)))
      .orderBy(asc(incidentResponses.id));
  }

  async addReport(db: Db, r: Omit<ReportRow, "createdAt">): Promise<ReportRow> {
    const [row] = await db.insert(insightReports).values(r).returning();
    return row as ReportRow;
  }

  async report(db: Db, projectId: string, id: string): Promise<ReportRow | undefined> {
    const [row] = await db
      .select()
      .from(insightReports)
      .where(and(eq(insightReports.projectId, projectId), eq(insightReports.id, id)));
    return row;
  }

  reports(db: Db, projectId: string, limit: number): Promise<Omit<ReportRow, "html" | "pdfBase64">[]> {
    return db
      .select({
        id: insightReports.id,
        projectId: insightReports.projectId,
        reportType: insightReports.reportType,
        title: insightReports.title,
        pdfError: insightReports.pdfError,
        periodFrom: insightReports.periodFrom,
        periodTo: insightReports.periodTo,
        createdAt: insightReports.createdAt,
      })
      .from(insightReports)
      .where(eq(insightReports.projectId, projectId))
      .orderBy(desc(insightReports.createdAt))
      .limit(limit);
  }
}
