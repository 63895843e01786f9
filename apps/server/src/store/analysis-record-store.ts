import { randomUUID } from "node:crypto";
import type { Hypothesis as HypothesisDto } from "@aegis/contracts";
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { Citation, Hypothesis } from "../ports/analysis-records.js";
import type { Db } from "./database.js";
import { runAtomically } from "./run-atomically.js";
import { citations, hypotheses } from "./schema.js";
import { textArray } from "./text-array.js";

/** One incident's new analysis records (`replaceMany`). */
export interface AnalysisRecordSet {
  projectId: string;
  incidentId: string;
  provider: string;
  hypotheses: Hypothesis[];
  citations: Citation[];
}

/** An incident's ranked hypotheses and the citations behind its diagnosis; a new analysis replaces both. */
export class AnalysisRecordStore {
  /**
   * Replace the records of many incidents in ONE transaction of four statements (array parameters, sent at once: `runAtomically`),
   * whatever their number: an alert storm's batch of analyses is stored at once (issue #17). Each
   * incident must appear once.
   */
  async replaceMany(db: Db, sets: readonly AnalysisRecordSet[]): Promise<void> {
    if (sets.length === 0) return;
    const hyps = sets.flatMap((s) => s.hypotheses.map((h) => ({ s, h })));
    const cites = sets.flatMap((s) => s.citations.map((c) => ({ s, c })));
    const projects = textArray(sets.map((s) => s.projectId));
    const ids = textArray(sets.map((s) => s.incidentId));
    const statements: SQL[] = [hypotheses, citations].map(
      (table) => sql`
          delete from ${table} t using unnest(${projects}::text[], ${ids}::text[]) as k(project_id, incident_id)
          where t.project_id = k.project_id and t.incident_id = k.incident_id`,
    );
    if (hyps.length > 0) {
      const col = (f: (x: (typeof hyps)[number]) => string | number | null) => textArray(hyps.map(f));
      statements.push(sql`
          insert into ${hypotheses} (id, project_id, incident_id, rank, claim, description, confidence_score,
                                     confidence_lower, confidence_upper, supporting_evidence, contradicting_evidence, provider)
          select id, project_id, incident_id, rank::integer, claim, description, confidence_score::double precision,
                 confidence_lower::double precision, confidence_upper::double precision, supporting_evidence::jsonb,
                 contradicting_evidence::jsonb, provider
          from unnest(${col(() => randomUUID())}::text[], ${col((x) => x.s.projectId)}::text[],
                      ${col((x) => x.s.incidentId)}::text[], ${col((x) => x.h.rank)}::text[], ${col((x) => x.h.claim)}::text[],
                      ${col((x) => x.h.description)}::text[], ${col((x) => x.h.confidence)}::text[],
                      ${col((x) => x.h.confidenceLower)}::text[], ${col((x) => x.h.confidenceUpper)}::text[],
                      ${col((x) => JSON.stringify(x.h.supportingEvidence))}::text[],
                      ${col((x) => JSON.stringify(x.h.contradictingEvidence))}::text[], ${col((x) => x.s.provider)}::text[])
            as t(id, project_id, incident_id, rank, claim, description, confidence_score, confidence_lower,
                 confidence_upper, supporting_evidence, contradicting_evidence, provider)`);
    }
    if (cites.length > 0) {
      const col = (f: (x: (typeof cites)[number]) => string) => textArray(cites.map(f));
      statements.push(sql`
          insert into ${citations} (project_id, incident_id, source, reference, excerpt, observed_at)
          select project_id, incident_id, source, reference, excerpt, observed_at::timestamptz
          from unnest(${col((x) => x.s.projectId)}::text[], ${col((x) => x.s.incidentId)}::text[],
                      ${col((x) => x.c.source)}::text[], ${col((x) => x.c.reference)}::text[],
                      ${col((x) => x.c.excerpt)}::text[], ${col((x) => validDate(x.c.timestamp).toISOString())}::text[])
            with ordinality as t(project_id, incident_id, source, reference, excerpt, observed_at, ord)
          order by ord`);
    }
    await runAtomically(db, statements);
  }

  async replace(
    db: Db,
    projectId: string,
    incidentId: string,
    provider: string,
    list: Hypothesis[],
    cited: Citation[],
  ): Promise<void> {
    await this.replaceMany(db, [{ projectId, incidentId, provider, hypotheses: list, citations: cited }]);
  }

  async hypotheses(db: Db, projectId: string, incidentId: string): Promise<HypothesisDto[]> {
    const rows = await db
      .select()
      .from(hypotheses)
      .where(and(eq(hypotheses.projectId, projectId), eq(hypotheses.incidentId, incidentId)))
      .orderBy(asc(hypotheses.rank));
    return rows.map((r) => ({
      id: r.id,
      incident_id: r.incidentId,
      claim: r.claim,
      description: r.description,
      confidence_score: r.confidenceScore,
      confidence_lower: r.confidenceLower,
      confidence_upper: r.confidenceUpper,
      rank: r.rank,
      supporting_evidence: r.supportingEvidence,
      contradicting_evidence: r.contradictingEvidence,
      user_feedback: r.userFeedback,
      created_at: r.createdAt.toISOString(),
      provider: r.provider,
    }));
  }

  async citations(db: Db, projectId: string, incidentId: string): Promise<Citation[]> {
    const rows = await db
      .select()
      .from(citations)
      .where(and(eq(citations.projectId, projectId), eq(citations.incidentId, incidentId)))
      .orderBy(asc(citations.seq));
    return rows.map((r) => ({
      source: r.source,
      reference: r.reference,
      excerpt: r.excerpt,
      timestamp: r.observedAt.toISOString(),
    }));
  }
}

function validDate(s: string): Date {
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? new Date() : d;
}
