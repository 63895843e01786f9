import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { actions } from "./schema.js";

export type ActionRow = typeof actions.$inferSelect;

/** Remediation actions with idempotency keys: the record is committed before the action runs. */
export class ActionLog {
  /**
   * Serialises the actions on one target until the caller's transaction ends, across every server
   * process sharing the database: a check of the action history (restart budget) and the record of
   * the action it allows are then one atomic step. The key is a 64-bit hash of project and target;
   * a collision only serialises two unrelated targets, which is harmless. Must run inside a
   * transaction (the lock is released at COMMIT/ROLLBACK).
   */
  async lockTarget(tx: Db, projectId: string, target: string): Promise<void> {
    const key = `${projectId}:${target}`;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}::text, 0))`);
  }

  async find(db: Db, projectId: string, key: string): Promise<ActionRow | undefined> {
    const rows = await db
      .select()
      .from(actions)
      .where(and(eq(actions.projectId, projectId), eq(actions.idempotencyKey, key)));
    return rows[0];
  }

  async start(
    db: Db,
    a: { projectId: string; incidentId: string; key: string; kind: string; target: string; params: unknown },
  ): Promise<ActionRow> {
    const rows = await db
      .insert(actions)
      .values({
        projectId: a.projectId,
        incidentId: a.incidentId,
        idempotencyKey: a.key,
        kind: a.kind,
        target: a.target,
        params: a.params,
        state: "started",
      })
      .returning();
    const row = rows[0];
    if (!row) throw new Error("action insert returned nothing");
    return row;
  }

  async finish(db: Db, id: number, outcome: { state: "succeeded" | "failed"; result?: unknown; error?: string }) {
    await db
      .update(actions)
      .set({
        state: outcome.state,
        result: outcome.result ?? null,
        error: outcome.error ?? null,
        finishedAt: new Date(),
      })
      .where(eq(actions.id, id));
  }

  async forIncident(db: Db, projectId: string, incidentId: string): Promise<ActionRow[]> {
    return db
      .select()
      .from(actions)
      .where(and(eq(actions.projectId, projectId), eq(actions.incidentId, incidentId)))
      .orderBy(actions.id);
  }

  /** Restarts of a target (started, whatever their result) since `since`. */
  /** `restartsSince` for many targets of a project in one query (a pipeline batch); absent targets: 0. */
  async restartsSinceAll(db: Db, projectId: string, targets: string[], since: Date): Promise<Map<string, number>> {
    const out = new Map(targets.map((t) => [t, 0]));
    if (targets.length === 0) return out;
    const rows = await db
      .select({ target: actions.target, n: sql<number>`count(*)::int` })
      .from(actions)
      .where(
        and(
          eq(actions.projectId, projectId),
          inArray(actions.target, targets),
          inArray(actions.kind, ["RESTART"]),
          gte(actions.startedAt, since),
        ),
      )
      .groupBy(actions.target);
    for (const r of rows) if (r.target !== null) out.set(r.target, Number(r.n));
    return out;
  }

  async restartsSince(db: Db, projectId: string, target: string, since: Date): Promise<number> {
    const rows = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(actions)
      .where(
        and(
          eq(actions.projectId, projectId),
          eq(actions.target, target),
          inArray(actions.kind, ["RESTART"]),
          gte(actions.startedAt, since),
        ),
      );
    return rows[0]?.n ?? 0;
  }
}
