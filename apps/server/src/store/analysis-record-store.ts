import { randomUUID } from "node:crypto";
import type { Hypothesis as HypothesisDto } from "@aegis/contracts";
import { and, asc, eq } from "drizzle-orm";
import type { Citation, Hypothesis } from "../ports/analysis-records.js";
import type { Db } from "./database.js";
import { citations, hypotheses } from "./schema.js";

/** An incident's ranked hypotheses and the citations behind its diagnosis; a new analysis replaces both. */
export class AnalysisRecordStore {
  async replace(
    db: Db,
    projectId: string,
    incidentId: string,
    provider: string,
    list: Hypothesis[],
    cited: Citation[],
  ): Promise<void> {
    await db.transaction(async (tx) => {
      const mine = (t: typeof hypotheses | typeof citations) =>
        and(eq(t.projectId, projectId), eq(t.incidentId, incidentId));
      await tx.delete(hypotheses).where(mine(hypotheses));
      await tx.delete(citations).where(mine(citations));
      if (list.length > 0) {
        await tx.insert(hypotheses).values(
          list.map((h) => ({
            id: randomUUID(),
            projectId,
            incidentId,
            rank: h.rank,
            claim: h.claim,
            description: h.description,
            confidenceScore: h.confidence,
            confidenceLower: h.confidenceLower,
            confidenceUpper: h.confidenceUpper,
            supportingEvidence: h.supportingEvidence,
            contradictingEvidence: h.contradictingEvidence,
            provider,
          })),
        );
      }
      if (cited.length > 0) {
        await tx.insert(citations).values(
          cited.map((c) => ({
            projectId,
            incidentId,
            source: c.source,
            reference: c.reference,
            excerpt: c.excerpt,
            observedAt: validDate(c.timestamp),
          })),
        );
      }
    });
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
