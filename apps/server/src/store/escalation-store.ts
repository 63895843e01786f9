import { and, asc, eq, getTableColumns, gte, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { rowsOf } from "./rows-of.js";
import { incidents } from "./schema.js";
import { alertFollowers } from "./schema-alerts.js";
import { escalations } from "./schema-oncall.js";
import { textColumn } from "./text-array.js";

export type EscalationRow = typeof escalations.$inferSelect;
export type NewEscalation = typeof escalations.$inferInsert;
export type EscalationPatch = Partial<
  Pick<EscalationRow, "state" | "level" | "round" | "nextAt" | "pagesSent" | "stopReason" | "policyId" | "policy">
>;

/** An incident with no escalation yet: what choosing a policy and the first page need. */
export interface UnescalatedIncident {
  projectId: string;
  incidentId: string;
  service: string | null;
  createdAt: Date;
}

/** Escalation state per incident; due rows are claimed with FOR UPDATE SKIP LOCKED so several servers share the sweep. */
export class EscalationStore {
  /**
   * Open incidents (still `detected`) created since `since` that have no escalation row yet, oldest first,
   * and the database's clock when it was asked (read before the scan, for the caller's next `since`).
   */
  async unescalated(db: Db, since: Date, limit: number): Promise<{ incidents: UnescalatedIncident[]; at: Date }> {
    const [clock] = rowsOf(await db.execute(sql`select (extract(epoch from now()) * 1000)::float8 as ms`));
    const rows = await db
      .select({
        projectId: incidents.projectId,
        incidentId: incidents.id,
        service: sql<string | null>`coalesce(${incidents.service}, ${incidents.containerName})`,
        createdAt: incidents.createdAt,
      })
      .from(incidents)
      .where(
        and(
          gte(incidents.createdAt, since),
          eq(incidents.lifecycle, "detected"),
          sql`not exists (select 1 from ${escalations} e where e.project_id = ${incidents.projectId} and e.incident_id = ${incidents.id})`,
          // An alert that joined an open incident is paged for through that incident, never on its own.
          sql`not exists (select 1 from ${alertFollowers} f where f.project_id = ${incidents.projectId} and f.incident_id = ${incidents.id})`,
        ),
      )
      .orderBy(asc(incidents.createdAt))
      .limit(limit);
    return { incidents: rows, at: new Date(Number(clock?.ms)) };
  }

  /**
   * Start these escalations in one statement, created now; one that exists already (another server
   * started it) is left as it is.
   */
  async insertMany(db: Db, rows: Omit<NewEscalation, "createdAt" | "updatedAt">[]): Promise<void> {
    if (rows.length === 0) return;
    // One statement of array parameters (`unnest`): Drizzle's multi-row `values` built ~20 KB of garbage
    // per row on the server thread, ~100 MB in a 5,000-alert storm (ADR 0025, twelfth round).
    const col = (f: (r: (typeof rows)[number]) => unknown) => textColumn(rows, f);
    await db.execute(sql`
      insert into ${escalations} (project_id, incident_id, policy_id, policy, state, level, round, next_at, pages_sent, stop_reason)
      select project_id, incident_id, policy_id, policy::jsonb, state, coalesce(level::integer, 0),
             coalesce(round::integer, 0), next_at::timestamptz, coalesce(pages_sent::integer, 0), stop_reason
      from unnest(
        ${col((r) => r.projectId)}::text[], ${col((r) => r.incidentId)}::text[], ${col((r) => r.policyId)}::text[],
        ${col((r) => r.policy)}::text[], ${col((r) => r.state)}::text[], ${col((r) => r.level)}::text[],
        ${col((r) => r.round)}::text[], ${col((r) => r.nextAt)}::text[], ${col((r) => r.pagesSent)}::text[],
        ${col((r) => r.stopReason)}::text[]
      ) as t(project_id, incident_id, policy_id, policy, state, level, round, next_at, pages_sent, stop_reason)
      on conflict do nothing`);
  }

  /**
   * Take the escalations due at `now` (active or waiting), and those whose incident a person has
   * acknowledged or resolved (or the automation resolved), and push their `next_at` to `leaseUntil`, in
   * one statement: another server skips them, and if this one dies they come due again after the lease.
   */
  async claimDue(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<EscalationRow[]> {
    // ONE statement: the due rows locked (skipping those another server holds) and leased together.
    // Row by row, a sweep of 100 due escalations held its transaction open for 101 round trips, and on
    // the embedded database every other statement of the server queued behind it.
    const due = db.$with("due").as(
      db
        .select({ projectId: escalations.projectId, incidentId: escalations.incidentId, dueAt: escalations.nextAt })
        .from(escalations)
        .where(
          and(
            inArray(escalations.state, ["active", "waiting"]),
            // Due, or its incident was acknowledged or resolved since: stop it now rather than at its due time.
            or(
              lte(escalations.nextAt, now),
              sql`exists (select 1 from ${incidents} i where i.project_id = ${escalations.projectId} and i.id = ${escalations.incidentId} and (i.lifecycle <> 'detected' or i.status = 'RESOLVED'))`,
            ),
          ),
        )
        .orderBy(asc(escalations.nextAt))
        .limit(limit)
        .for("update", { skipLocked: true }),
    );
    const claimed = await db
      .with(due)
      .update(escalations)
      .set({ nextAt: leaseUntil })
      .from(due)
      .where(and(eq(escalations.projectId, due.projectId), eq(escalations.incidentId, due.incidentId)))
      .returning({ ...getTableColumns(escalations), dueAt: due.dueAt });
    // Oldest due first, as they were chosen (an UPDATE returns its rows in no particular order).
    claimed.sort((a, b) => (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0));
    return claimed.map(({ dueAt: _, ...row }) => row);
  }

  async update(db: Db, projectId: string, incidentId: string, patch: EscalationPatch): Promise<void> {
    await db
      .update(escalations)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(escalations.projectId, projectId), eq(escalations.incidentId, incidentId)));
  }

  async get(db: Db, projectId: string, incidentId: string): Promise<EscalationRow | undefined> {
    const rows = await db
      .select()
      .from(escalations)
      .where(and(eq(escalations.projectId, projectId), eq(escalations.incidentId, incidentId)));
    return rows[0];
  }
}
