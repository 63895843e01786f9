import type { ActionType, FixOutcome, RunbookEntry } from "@aegis/contracts";
import { asc, eq } from "drizzle-orm";
import type { Db } from "./database.js";
import { knowledgeEntries } from "./schema.js";

/** Persistence of learned incidents (seed 000 RunbookEntry). */
export class KnowledgeStore {
  async upsert(db: Db, projectId: string, e: RunbookEntry): Promise<void> {
    const values = {
      projectId,
      incidentId: e.incident_id,
      alertType: e.alert_type,
      logs: e.logs,
      containerName: e.container_name,
      severity: e.severity,
      rootCause: e.root_cause,
      action: e.action,
      justification: e.justification,
      confidence: e.confidence,
      councilApproved: e.council_approved,
      replicasUsed: e.replicas_used,
      resolvedAt: e.resolved_at ? new Date(e.resolved_at) : null,
      outcome: e.outcome ?? "RESOLVED",
    };
    await db
      .insert(knowledgeEntries)
      .values(values)
      .onConflictDoUpdate({ target: [knowledgeEntries.projectId, knowledgeEntries.incidentId], set: values });
  }

  async list(db: Db, projectId: string): Promise<RunbookEntry[]> {
    const rows = await db
      .select()
      .from(knowledgeEntries)
      .where(eq(knowledgeEntries.projectId, projectId))
      .orderBy(asc(knowledgeEntries.createdAt), asc(knowledgeEntries.incidentId));
    return rows.map((r) => ({
      incident_id: r.incidentId,
      alert_type: r.alertType,
      logs: r.logs,
      container_name: r.containerName,
      severity: r.severity,
      root_cause: r.rootCause,
      action: r.action as ActionType,
      justification: r.justification,
      confidence: r.confidence,
      council_approved: r.councilApproved,
      replicas_used: r.replicasUsed,
      resolved_at: r.resolvedAt ? r.resolvedAt.toISOString() : null,
      outcome: r.outcome as FixOutcome,
    }));
  }
}
