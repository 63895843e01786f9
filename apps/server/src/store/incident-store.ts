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
import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { IncidentCategory } from "../ports/analyst.js";
import type { Db } from "./database.js";
import { rowsOf } from "./rows-of.js";
import { councilVotes, incidents, jobs, timelineEntries } from "./schema.js";
import { textArray } from "./text-array.js";

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
  /** Set when a person opens the incident through /api/v1 (seed 002 body); a webhook leaves them unset. */
  title?: string | null;
  description?: string | null;
  service?: string | null;
}

/** `INC-<number>`: the seed-001 reference the product assigns to every incident. */
const REFERENCE = /^INC-(\d{1,15})$/;

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
  category?: IncidentCategory | null;
  evidence?: string[] | null;
  provider?: string | null;
  councilDecision?: CouncilDecision | null;
  approvedBy?: string | null;
  resolvedAt?: Date | null;
  error?: string | null;
  replicasSpawned?: number;
}

/** Persistence of incidents, their timelines and votes. Every write takes a Db that may be a transaction. */
export class IncidentStore {
  /**
   * Insert a batch of new incidents with their RECEIVED entry and a queued pipeline job in ONE
   * statement (array parameters + data-modifying CTEs): atomic without BEGIN/COMMIT round trips and
   * with a constant number of parameters, so group commits stay cheap. Returns the created keys;
   * ids that already existed are left alone.
   */
  async createBatch(db: Db, items: NewIncident[], now = new Date()): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const col = <K extends keyof NewIncident>(k: K) => items.map((i) => i[k]);
    const json = items.map((i) => (i.context ? JSON.stringify(i.context) : null));
    const result = await db.execute(sql`
      with input as (
        select * from unnest(
          ${textArray(col("projectId"))}::text[], ${textArray(col("id"))}::text[],
          ${textArray(col("alertType"))}::text[], ${textArray(col("logs"))}::text[],
          ${textArray(col("containerName"))}::text[], ${textArray(col("severity"))}::text[],
          ${textArray(col("alertTimestamp"))}::text[], ${textArray(json)}::text[],
          ${textArray(col("dryRun").map(String))}::text[], ${textArray(col("title"))}::text[],
          ${textArray(col("description"))}::text[], ${textArray(col("service"))}::text[]
        ) as t(project_id, id, alert_type, logs, container_name, severity, alert_timestamp, context, dry_run, title, description, service)
      ),
      created as (
        insert into ${incidents} (project_id, id, alert_type, logs, container_name, severity, alert_timestamp, context, dry_run, title, description, service, status, created_at, updated_at)
        select project_id, id, alert_type, logs, container_name, severity, alert_timestamp, context::jsonb, dry_run::boolean,
               title, description, service, 'RECEIVED', ${now}, ${now}
        from input
        on conflict do nothing
        returning project_id, id
      ),
      entries as (
        insert into ${timelineEntries} (project_id, incident_id, ts, status, message, agent)
        select c.project_id, c.id, ${now}, 'RECEIVED',
               case when i.title is null then 'Incident received via webhook.' else 'Incident opened via POST /api/v1/incidents.' end,
               null
        from created c join input i on i.project_id = c.project_id and i.id = c.id
      ),
      queued as (
        insert into ${jobs} (project_id, incident_id, state, run_after, created_at, updated_at)
        select project_id, id, 'queued', ${now}, ${now}, ${now} from created
      )
      select project_id, id from created`);
    return new Set(rowsOf(result).map((r) => `${String(r.project_id)}\u0000${String(r.id)}`));
  }

  /** Keys (`project\u0000id`) of the given incidents that already exist. */
  async existingKeys(db: Db, items: Pick<NewIncident, "projectId" | "id">[]): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const result = await db.execute(sql`
      select i.project_id, i.id from ${incidents} i
      join unnest(${textArray(items.map((x) => x.projectId))}::text[], ${textArray(items.map((x) => x.id))}::text[])
        as k(project_id, id) on i.project_id = k.project_id and i.id = k.id`);
    return new Set(rowsOf(result).map((r) => `${String(r.project_id)}\u0000${String(r.id)}`));
  }

  /** Every incident key, for the ingest's seen-ids filter at start-up. */
  async allKeys(db: Db): Promise<{ projectId: string; id: string }[]> {
    return db.select({ projectId: incidents.projectId, id: incidents.id }).from(incidents);
  }

  async getRow(db: Db, projectId: string, id: string): Promise<IncidentRow | undefined> {
    const rows = await db
      .select()
      .from(incidents)
      .where(and(eq(incidents.projectId, projectId), eq(incidents.id, id)));
    return rows[0];
  }

  /**
   * The row an id names: the incident's own id first (a client may have chosen `INC-42` itself),
   * then `INC-<number>`, the reference the product assigns.
   */
  async resolveRow(db: Db, projectId: string, idOrRef: string): Promise<IncidentRow | undefined> {
    const ref = REFERENCE.exec(idOrRef);
    const match = ref?.[1]
      ? or(eq(incidents.id, idOrRef), eq(incidents.number, Number(ref[1])))
      : eq(incidents.id, idOrRef);
    const rows = await db
      .select()
      .from(incidents)
      .where(and(eq(incidents.projectId, projectId), match))
      // The exact id wins over a reference that happens to equal another incident's number.
      .orderBy(sql`case when ${incidents.id} = ${idOrRef} then 0 else 1 end`)
      .limit(1);
    return rows[0];
  }

  /** The row, locked until the transaction ends: decisions on one incident (approve, reject, expire) take turns. */
  async lockRow(tx: Db, projectId: string, id: string): Promise<IncidentRow | undefined> {
    const rows = await tx
      .select()
      .from(incidents)
      .where(and(eq(incidents.projectId, projectId), eq(incidents.id, id)))
      .for("update");
    return rows[0];
  }

  /** The incident by its id or its `INC-<n>` reference. */
  /**
   * An incident with its timeline as of one moment. A change commits its entries and its status
   * together, but the row and the timeline are two reads: the row is read again after the timeline, and
   * when a change landed in between (its `updated_at` moved) the three reads are repeated, so a status is
   * never shown without its entry nor an entry without its status.
   */
  async get(db: Db, projectId: string, idOrRef: string): Promise<IncidentResult | undefined> {
    let row = await this.resolveRow(db, projectId, idOrRef);
    for (let attempt = 0; row; attempt++) {
      const entries = (await this.timeline(db, projectId, [row.id])).get(row.id) ?? [];
      const after = await this.getRow(db, projectId, row.id);
      if (!after) return undefined;
      if (after.updatedAt.getTime() === row.updatedAt.getTime() || attempt === 4) return toResult(after, entries);
      row = after;
    }
    return undefined;
  }

  async list(
    db: Db,
    projectId: string,
    opts: { limit: number; offset: number; status?: IncidentStatus | readonly IncidentStatus[] | undefined },
  ) {
    const statuses = opts.status === undefined ? [] : typeof opts.status === "string" ? [opts.status] : opts.status;
    const where =
      statuses.length > 0
        ? and(eq(incidents.projectId, projectId), inArray(incidents.status, [...statuses]))
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

  /** Several entries in one statement, in order. Only the IncidentRecorder writes timelines. */
  async appendMany(db: Db, projectId: string, incidentId: string, entries: TimelineInput[]): Promise<void> {
    if (entries.length === 0) return;
    const now = new Date();
    await db.insert(timelineEntries).values(
      entries.map((e) => ({
        projectId,
        incidentId,
        ts: e.ts ?? now,
        status: e.status,
        message: e.message,
        agent: e.agent ?? null,
      })),
    );
  }

  async update(db: Db, projectId: string, incidentId: string, patch: IncidentPatch): Promise<void> {
    await db
      .update(incidents)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(incidents.projectId, projectId), eq(incidents.id, incidentId)));
  }

  async recordVotes(db: Db, projectId: string, incidentId: string, votes: CouncilVote[]): Promise<void> {
    if (votes.length === 0) return;
    await db.insert(councilVotes).values(
      votes.map((vote) => ({
        projectId,
        incidentId,
        role: vote.role,
        verdict: vote.verdict,
        reasoning: vote.reasoning,
        ts: new Date(vote.timestamp),
      })),
    );
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
    analysis: row.analysis,
    council_decision: row.councilDecision,
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
