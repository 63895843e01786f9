import { and, asc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { rowsOf } from "./rows-of.js";
import { jobs } from "./schema.js";

export interface ClaimedJob {
  id: number;
  projectId: string;
  incidentId: string;
  attempts: number;
}

/**
 * Durable pipeline jobs. A job is claimed with `FOR UPDATE SKIP LOCKED`, so several servers can
 * share one database, and held by a lease its worker renews; an expired lease means its worker died.
 */
export class JobQueue {
  constructor(private readonly db: Db) {}

  async claim(workerId: string, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const result = await this.db.execute(sql`
      update ${jobs} set state = 'running', locked_by = ${workerId},
        locked_until = now() + (${leaseMs} * interval '1 millisecond'),
        attempts = ${jobs.attempts} + 1, updated_at = now()
      where ${jobs.id} in (
        select id from ${jobs}
        where state = 'queued' and run_after <= now()
        order by id
        limit ${limit}
        for update skip locked
      )
      returning id, project_id, incident_id, attempts`);
    return rowsOf(result).map((r) => ({
      id: Number(r.id),
      projectId: String(r.project_id),
      incidentId: String(r.incident_id),
      attempts: Number(r.attempts),
    }));
  }

  /** Requeue jobs whose lease expired: their worker died (another node, or this one before a crash). */
  async reapExpired(): Promise<number> {
    const result = await this.db.execute(sql`
      update ${jobs} set state = 'queued', locked_by = null, locked_until = null, updated_at = now()
      where ${jobs.id} in (
        select id from ${jobs} where state = 'running' and locked_until < now() for update skip locked
      )
      returning id`);
    return rowsOf(result).length;
  }

  /** Release every running job at once: used at start-up when this process owns the database exclusively. */
  async reclaimOrphans(): Promise<number> {
    const result = await this.db.execute(
      sql`update ${jobs} set state = 'queued', locked_by = null, locked_until = null, updated_at = now() where state = 'running' returning id`,
    );
    return rowsOf(result).length;
  }

  async renew(workerId: string, ids: number[], leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.execute(sql`
      update ${jobs} set locked_until = now() + (${leaseMs} * interval '1 millisecond')
      where locked_by = ${workerId} and state = 'running' and id in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`);
  }

  async complete(db: Db, id: number): Promise<void> {
    await db
      .update(jobs)
      .set({ state: "done", lockedBy: null, lockedUntil: null, updatedAt: new Date() })
      .where(eq(jobs.id, id));
  }

  /**
   * Finish and park many jobs at once (a pipeline batch's last commit): statements built, not run, for
   * the batch's transaction (`runAtomically`).
   */
  settleManyStatements(db: Db, done: number[], parked: number[]): SQL[] {
    const now = new Date();
    const out: SQL[] = [];
    for (const [state, ids] of [
      ["done", done],
      ["waiting", parked],
    ] as const) {
      if (ids.length === 0) continue;
      out.push(
        db
          .update(jobs)
          .set({ state, lockedBy: null, lockedUntil: null, updatedAt: now })
          .where(inArray(jobs.id, ids))
          .getSQL(),
      );
    }
    return out;
  }

  /** Give many running jobs back to the queue (shutdown during a batch). */
  async releaseMany(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(jobs)
      .set({ state: "queued", lockedBy: null, lockedUntil: null, updatedAt: new Date() })
      .where(inArray(jobs.id, ids));
  }

  /** Park a job until a human decides (NEEDS_REVIEW). */
  async park(db: Db, id: number): Promise<void> {
    await db
      .update(jobs)
      .set({ state: "waiting", lockedBy: null, lockedUntil: null, updatedAt: new Date() })
      .where(eq(jobs.id, id));
  }

  /** Queue a parked or finished job again (after a human decision). Returns false if it was not parked. */
  async resume(db: Db, projectId: string, incidentId: string): Promise<boolean> {
    const rows = await db
      .update(jobs)
      .set({ state: "queued", runAfter: new Date(), lockedBy: null, lockedUntil: null, updatedAt: new Date() })
      .where(and(eq(jobs.projectId, projectId), eq(jobs.incidentId, incidentId), eq(jobs.state, "waiting")))
      .returning({ id: jobs.id });
    return rows.length > 0;
  }

  /** Incidents whose job has been parked for a human since before `cutoff` (oldest first). */
  async parkedBefore(cutoff: Date, limit: number): Promise<{ projectId: string; incidentId: string; since: Date }[]> {
    return this.db
      .select({ projectId: jobs.projectId, incidentId: jobs.incidentId, since: jobs.updatedAt })
      .from(jobs)
      .where(and(eq(jobs.state, "waiting"), lt(jobs.updatedAt, cutoff)))
      .orderBy(asc(jobs.updatedAt))
      .limit(limit);
  }

  /** End a parked job without running it again; false when it was no longer parked (a human decided). */
  async finishParked(db: Db, projectId: string, incidentId: string): Promise<boolean> {
    const rows = await db
      .update(jobs)
      .set({ state: "done", lockedBy: null, lockedUntil: null, updatedAt: new Date() })
      .where(and(eq(jobs.projectId, projectId), eq(jobs.incidentId, incidentId), eq(jobs.state, "waiting")))
      .returning({ id: jobs.id });
    return rows.length > 0;
  }

  /** Give a running job back to the queue (graceful shutdown before it reached its end). */
  async release(id: number): Promise<void> {
    await this.db
      .update(jobs)
      .set({ state: "queued", lockedBy: null, lockedUntil: null, updatedAt: new Date() })
      .where(eq(jobs.id, id));
  }

  async pending(): Promise<number> {
    const result = await this.db.execute(
      sql`select count(*)::int as n from ${jobs} where state in ('queued','running')`,
    );
    return Number(rowsOf(result)[0]?.n ?? 0);
  }
}
