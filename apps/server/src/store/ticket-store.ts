import { and, count, desc, eq } from "drizzle-orm";
import type { Db } from "./database.js";
import { tickets } from "./schema.js";

export type TicketRow = typeof tickets.$inferSelect;
export type NewTicket = typeof tickets.$inferInsert;

/** Persistence of seed 001 tickets, always scoped to a project. */
export class TicketStore {
  async insert(db: Db, row: NewTicket): Promise<TicketRow> {
    const rows = await db.insert(tickets).values(row).returning();
    return rows[0] as TicketRow;
  }

  async get(db: Db, projectId: string, id: string): Promise<TicketRow | undefined> {
    const rows = await db
      .select()
      .from(tickets)
      .where(and(eq(tickets.projectId, projectId), eq(tickets.id, id)));
    return rows[0];
  }

  /** Newest first, and the project's total. */
  async list(db: Db, projectId: string, limit: number, offset: number): Promise<{ rows: TicketRow[]; total: number }> {
    const where = eq(tickets.projectId, projectId);
    const [rows, totals] = await Promise.all([
      db.select().from(tickets).where(where).orderBy(desc(tickets.createdAt)).limit(limit).offset(offset),
      db.select({ n: count() }).from(tickets).where(where),
    ]);
    return { rows, total: totals[0]?.n ?? 0 };
  }
}
