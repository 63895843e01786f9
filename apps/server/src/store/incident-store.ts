import type {
  AIAnalysis,
  CouncilDecision,
  CouncilVote,
  IncidentContext,
  IncidentResult,
  IncidentStatus,
  TimelineEntry,
  TimelineStatus,
} from "@aegis/contracts";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { councilVotes, incidents, jobs, timelineEntries } from "./schema.js";

export interface NewIncident {
  projectId: string;
  id: string;
  alertType: string;
  logs: string;
  containerName: string | null;
  severity: string | null;
  alertTimestamp: string | null;
  context: IncidentContext | null;
  dryRun: boolean;
}

export type IncidentRow = typeof incidents.$inferSelect;

export interface TimelineInput {
  status: TimelineStatus;
  message: string;
  agent?: string | null;
  ts?: Date;
}

export interface IncidentPatch {
  status?: IncidentStatus;
  analysis?: AIAnalysis | null;
  category?: string | null;
  evidence?: string[] | null;
  provider?: string | null;
  councilDecision?: CouncilDecision | null;
  resolvedAt?: Date | null;
  error?: string | null;
  replicasSpawned?: number;
}

/** Persistence of incidents, their timelines and votes. Every write takes a Db that may be a transaction. */
export class IncidentStore {
  /**
   * Insert a batch of new incidents with their RECEIVED entry and a queued pipeline job, in one
   * statement per table. Returns the ids that were created; ids that already existed are left alone.
   */
  async createBatch(db: Db, items: NewIncident[], now = new Date()): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const created = await db
      .insert(incidents)
      .values(items.map((i) => ({ ...i, status: "RECEIVED" as const, createdAt: now, updatedAt: now })))
      .onConflictDoNothing()
      .returning({ projectId: incidents.projectId, id: incidents.id });
    if (created.length === 0) return new Set();
    await db.insert(timelineEntries).values(
      created.map((c) => ({
        projectId: c.projectId,
        incidentId: c.id,
        ts: now,
        status: "RECEIVED",
        message: "Incident received via webhook.",
        agent: null,
      })),
    );
    await db
      .insert(jobs)
      .values(created.map((c) => ({ projectId: c.projectId, incidentId: c.id, state: "queued", runAfter: now })));
    return new Set(created.map((c) => `${c.projectId}\u0000${c.id}`));
  }

  async getRow(db: Db, projectId: string, id: string): Promise<IncidentRow | undefined> {
    const rows = await db
      .select()
      .from(incidents)
      .where(and(eq(incidents.projectId, projectId), eq(incidents.id, id)));
    return rows[0];
  }

  async get(db: Db, projectId: string, id: string): Promise<IncidentResult | undefined> {
    const row = await this.getRow(db, projectId, id);
    if (!row) return undefined;
    const timeline = await this.timeline(db, projectId, [id]);
    return toResult(row, timeline.get(id) ?? []);
  }

  async list(db: Db, projectId: string, opts: { limit: number; offset: number; status?: IncidentStatus | undefined }) {
    const where = opts.status
      ? and(eq(incidents.projectId, projectId), eq(incidents.status, opts.status))
      : eq(incidents.projectId, projectId);
    const rows = await db
      .select()
      .from(incidents)
      .where(where)
      .orderBy(desc(incidents.createdAt), desc(incidents.id))
      .limit(opts.limit)
      .offset(opts.offset);
    const timeline = await this.timeline(
      db,
      projectId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toResult(r, timeline.get(r.id) ?? []));
  }

  async count(db: Db, projectId: string): Promise<number> {
    const rows = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(incidents)
      .where(eq(incidents.projectId, projectId));
    return rows[0]?.n ?? 0;
  }

  async timeline(db: Db, projectId: string, ids: string[]): Promise<Map<string, TimelineEntry[]>> {
    const out = new Map<string, TimelineEntry[]>();
    if (ids.length === 0) return out;
    const rows = await db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.projectId, projectId), inArray(timelineEntries.incidentId, ids)))
      .orderBy(asc(timelineEntries.seq));
    for (const r of rows) {
      const list = out.get(r.incidentId) ?? [];
      list.push({ ts: r.ts.toISOString(), status: r.status as TimelineStatus, message: r.message, agent: r.agent });
      out.set(r.incidentId, list);
    }
    return out;
  }

  async append(db: Db, projectId: string, incidentId: string, entry: TimelineInput): Promise<TimelineEntry> {
    const ts = entry.ts ?? new Date();
    await db.insert(timelineEntries).values({
      projectId,
      incidentId,
      ts,
      status: entry.status,
      message: entry.message,
      agent: entry.agent ?? null,
    });
    return { ts: ts.toISOString(), status: entry.status, message: entry.message, agent: entry.agent ?? null };
  }

  async update(db: Db, projectId: string, incidentId: string, patch: IncidentPatch): Promise<void> {
    await db
      .update(incidents)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(incidents.projectId, projectId), eq(incidents.id, incidentId)));
  }

  async recordVote(db: Db, projectId: string, incidentId: string, vote: CouncilVote): Promise<void> {
    await db.insert(councilVotes).values({
      projectId,
      incidentId,
      role: vote.role,
      verdict: vote.verdict,
      reasoning: vote.reasoning,
      ts: new Date(vote.timestamp),
    });
  }

  async votes(db: Db, projectId: string, incidentId: string): Promise<CouncilVote[]> {
    const rows = await db
      .select()
      .from(councilVotes)
      .where(and(eq(councilVotes.projectId, projectId), eq(councilVotes.incidentId, incidentId)))
      .orderBy(asc(councilVotes.seq));
    return rows.map((r) => ({
      role: r.role as CouncilVote["role"],
      verdict: r.verdict as CouncilVote["verdict"],
      reasoning: r.reasoning,
      timestamp: r.ts.toISOString(),
    }));
  }
}

export function toResult(row: IncidentRow, timeline: TimelineEntry[]): IncidentResult {
  return {
    incident_id: row.id,
    alert_type: row.alertType,
    status: row.status as IncidentStatus,
    analysis: (row.analysis as AIAnalysis | null) ?? null,
    council_decision: (row.councilDecision as CouncilDecision | null) ?? null,
    resolved_at: row.resolvedAt ? row.resolvedAt.toISOString() : null,
    error: row.error,
    replicas_spawned: row.replicasSpawned,
    timeline,
    container_name: row.containerName,
    severity: row.severity,
    dry_run: row.dryRun,
    created_at: row.createdAt.toISOString(),
  };
}
