import { and, asc, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import type { IncidentRow } from "./incident-store.js";
import { rowsOf } from "./rows-of.js";
import { hypotheses, incidents, incidentTransitions, llmCalls } from "./schema.js";

export type TransitionRow = typeof incidentTransitions.$inferSelect;

/** Filters of the /api/v1 list; each narrows, absent ones do not. */
export interface IncidentFilter {
  service?: string | undefined;
  severity?: string | undefined;
  lifecycle?: readonly string[] | undefined;
  automationStatus?: string | undefined;
}

export interface UsageTotals {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  cacheHits: number;
  hypotheses: number;
}

export interface FieldPatch {
  title?: string;
  description?: string;
  service?: string;
  severity?: string;
}

/** Reads and writes of the /api/v1 incident resource: references, filtered lists, lifecycle history, usage. */
export class IncidentResourceStore {
  async list(db: Db, projectId: string, f: IncidentFilter, limit: number, offset: number): Promise<IncidentRow[]> {
    return db
      .select()
      .from(incidents)
      .where(where(projectId, f))
      .orderBy(desc(incidents.createdAt), desc(incidents.id))
      .limit(limit)
      .offset(offset);
  }

  async count(db: Db, projectId: string, f: IncidentFilter): Promise<number> {
    const rows = await db.select({ n: sql<number>`count(*)::int` }).from(incidents).where(where(projectId, f));
    return rows[0]?.n ?? 0;
  }

  async transitions(db: Db, projectId: string, ids: string[]): Promise<Map<string, TransitionRow[]>> {
    const out = new Map<string, TransitionRow[]>();
    if (ids.length === 0) return out;
    const rows = await db
      .select()
      .from(incidentTransitions)
      .where(and(eq(incidentTransitions.projectId, projectId), inArray(incidentTransitions.incidentId, ids)))
      .orderBy(asc(incidentTransitions.seq));
    for (const r of rows) out.set(r.incidentId, [...(out.get(r.incidentId) ?? []), r]);
    return out;
  }

  /**
   * Move the lifecycle from `from` to `to` and record who did it; false when the state was no longer
   * `from` (a concurrent change won), so the caller's transaction can refuse instead of overwrite.
   */
  async transition(
    db: Db,
    t: Omit<TransitionRow, "seq" | "note"> & { note?: string | null | undefined },
  ): Promise<boolean> {
    const moved = await db
      .update(incidents)
      .set({ lifecycle: t.toState, updatedAt: t.at })
      .where(
        and(eq(incidents.projectId, t.projectId), eq(incidents.id, t.incidentId), eq(incidents.lifecycle, t.fromState)),
      )
      .returning({ id: incidents.id });
    if (moved.length === 0) return false;
    await db.insert(incidentTransitions).values({ ...t, note: t.note ?? null });
    return true;
  }

  async updateFields(db: Db, projectId: string, id: string, patch: FieldPatch): Promise<void> {
    await db
      .update(incidents)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(incidents.projectId, projectId), eq(incidents.id, id)));
  }

  /** Model usage and hypotheses recorded against the incident. */
  async usage(db: Db, projectId: string, id: string): Promise<UsageTotals> {
    const [calls] = rowsOf(
      await db.execute(sql`
        select count(*) filter (where not ${llmCalls.cacheHit}) as calls,
               coalesce(sum(${llmCalls.promptTokens}), 0) as prompt, coalesce(sum(${llmCalls.completionTokens}), 0) as completion,
               coalesce(sum(${llmCalls.costUsd}), 0) as cost, count(*) filter (where ${llmCalls.cacheHit}) as hits
        from ${llmCalls} where ${llmCalls.projectId} = ${projectId} and ${llmCalls.incidentId} = ${id}`),
    );
    const [hyp] = rowsOf(
      await db.execute(
        sql`select count(*) as n from ${hypotheses} where ${hypotheses.projectId} = ${projectId} and ${hypotheses.incidentId} = ${id}`,
      ),
    );
    return {
      calls: Number(calls?.calls ?? 0),
      promptTokens: Number(calls?.prompt ?? 0),
      completionTokens: Number(calls?.completion ?? 0),
      costUsd: Math.round(Number(calls?.cost ?? 0) * 1_000_000) / 1_000_000,
      cacheHits: Number(calls?.hits ?? 0),
      hypotheses: Number(hyp?.n ?? 0),
    };
  }
}

function where(projectId: string, f: IncidentFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [eq(incidents.projectId, projectId)];
  // A webhook names its container, a person the service: either matches.
  if (f.service) parts.push(or(eq(incidents.service, f.service), eq(incidents.containerName, f.service)));
  // Severities arrive in several seeds' cases (CRITICAL, critical).
  if (f.severity) parts.push(sql`lower(${incidents.severity}) = ${f.severity.toLowerCase()}`);
  if (f.lifecycle) parts.push(inArray(incidents.lifecycle, [...f.lifecycle]));
  if (f.automationStatus) parts.push(eq(incidents.status, f.automationStatus));
  return and(...parts);
}
