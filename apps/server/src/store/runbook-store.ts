import { and, asc, count, eq, getTableColumns, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { runbooks } from "./schema.js";

export type RunbookRow = typeof runbooks.$inferSelect;

/** What a client writes; timestamps are the store's. */
export interface RunbookFields {
  id: string;
  title: string;
  service: string;
  body: string;
  url: string | null;
  tags: string[];
}

export interface RunbookListOptions {
  offset: number;
  limit: number;
  service?: string | undefined;
}

/** Persistence of runbook documents. Every write takes a Db that may be a transaction. */
export class RunbookStore {
  /** Insert a new runbook; null when the id is already taken. */
  async insert(db: Db, projectId: string, f: RunbookFields, now = new Date()): Promise<RunbookRow | null> {
    const rows = await db
      .insert(runbooks)
      .values({ projectId, ...f, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    return rows[0] ?? null;
  }

  /** Create or replace; `created` tells which. The creation time of a replaced runbook is kept. */
  async upsert(
    db: Db,
    projectId: string,
    f: RunbookFields,
    now = new Date(),
  ): Promise<{ row: RunbookRow; created: boolean }> {
    const { id: _id, ...changes } = f;
    const rows = await db
      .insert(runbooks)
      .values({ projectId, ...f, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [runbooks.projectId, runbooks.id], set: { ...changes, updatedAt: now } })
      // xmax is 0 only on a freshly inserted row version: the standard way to tell insert from update.
      .returning({ ...getTableColumns(runbooks), created: sql<boolean>`(xmax = 0)` });
    const { created, ...row } = rows[0] as RunbookRow & { created: boolean };
    return { row, created };
  }

  async get(db: Db, projectId: string, id: string): Promise<RunbookRow | undefined> {
    const rows = await db
      .select()
      .from(runbooks)
      .where(and(eq(runbooks.projectId, projectId), eq(runbooks.id, id)));
    return rows[0];
  }

  /** One page in id order, and the total of the (filtered) list. */
  async list(db: Db, projectId: string, o: RunbookListOptions): Promise<{ rows: RunbookRow[]; total: number }> {
    const where = and(eq(runbooks.projectId, projectId), o.service ? eq(runbooks.service, o.service) : undefined);
    const [rows, totals] = await Promise.all([
      db.select().from(runbooks).where(where).orderBy(asc(runbooks.id)).limit(o.limit).offset(o.offset),
      db.select({ n: count() }).from(runbooks).where(where),
    ]);
    return { rows, total: totals[0]?.n ?? 0 };
  }

  /** Every runbook of a project (to build its in-memory index). */
  all(db: Db, projectId: string): Promise<RunbookRow[]> {
    return db.select().from(runbooks).where(eq(runbooks.projectId, projectId)).orderBy(asc(runbooks.id));
  }

  async delete(db: Db, projectId: string, id: string): Promise<boolean> {
    const rows = await db
      .delete(runbooks)
      .where(and(eq(runbooks.projectId, projectId), eq(runbooks.id, id)))
      .returning({ id: runbooks.id });
    return rows.length > 0;
  }
}
