import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { integrationEvents, integrations } from "./schema-integrations.js";

export type IntegrationRow = typeof integrations.$inferSelect;
export type IntegrationEventRow = typeof integrationEvents.$inferSelect;

/** Persistence of the integrations registry and each integration's event log, scoped to a project. */
export class IntegrationStore {
  async insert(db: Db, row: IntegrationRow): Promise<IntegrationRow> {
    const rows = await db.insert(integrations).values(row).onConflictDoNothing().returning();
    return rows[0] as IntegrationRow;
  }

  list(db: Db, projectId: string, kinds?: readonly string[]): Promise<IntegrationRow[]> {
    const where = kinds
      ? and(eq(integrations.projectId, projectId), inArray(integrations.kind, [...kinds]))
      : eq(integrations.projectId, projectId);
    return db.select().from(integrations).where(where).orderBy(integrations.name);
  }

  async byName(db: Db, projectId: string, name: string): Promise<IntegrationRow | undefined> {
    const rows = await db
      .select()
      .from(integrations)
      .where(and(eq(integrations.projectId, projectId), eq(integrations.name, name)));
    return rows[0];
  }

  async byId(db: Db, projectId: string, id: string): Promise<IntegrationRow | undefined> {
    const rows = await db
      .select()
      .from(integrations)
      .where(and(eq(integrations.projectId, projectId), eq(integrations.id, id)));
    return rows[0];
  }

  /** By its globally unique id alone: a chat callback's URL names the integration, not the project. */
  async byGlobalId(db: Db, id: string): Promise<IntegrationRow | undefined> {
    const rows = await db.select().from(integrations).where(eq(integrations.id, id));
    return rows[0];
  }

  /** Every integration (of every project): re-sealing secrets after a key rotation. */
  all(db: Db): Promise<IntegrationRow[]> {
    return db.select().from(integrations);
  }

  async update(
    db: Db,
    projectId: string,
    id: string,
    patch: Partial<Omit<IntegrationRow, "projectId" | "id" | "createdAt">>,
  ): Promise<IntegrationRow | undefined> {
    const rows = await db
      .update(integrations)
      .set(patch)
      .where(and(eq(integrations.projectId, projectId), eq(integrations.id, id)))
      .returning();
    return rows[0];
  }

  /** Removes the integration and its log (it has no other owner). */
  async delete(db: Db, projectId: string, id: string): Promise<boolean> {
    return db.transaction(async (tx) => {
      await tx
        .delete(integrationEvents)
        .where(and(eq(integrationEvents.projectId, projectId), eq(integrationEvents.integrationId, id)));
      const rows = await tx
        .delete(integrations)
        .where(and(eq(integrations.projectId, projectId), eq(integrations.id, id)))
        .returning({ id: integrations.id });
      return rows.length > 0;
    });
  }

  async insertEvent(db: Db, row: IntegrationEventRow): Promise<void> {
    await db.insert(integrationEvents).values(row);
  }

  /** Inserts an event under a caller-chosen id; false when that id is already logged (done once, cluster-wide). */
  async insertOnce(db: Db, row: IntegrationEventRow): Promise<boolean> {
    const rows = await db
      .insert(integrationEvents)
      .values(row)
      .onConflictDoNothing()
      .returning({ id: integrationEvents.id });
    return rows.length > 0;
  }

  async updateEvent(
    db: Db,
    projectId: string,
    id: string,
    patch: Partial<Pick<IntegrationEventRow, "level" | "status" | "message" | "latencyMs" | "attempts" | "updatedAt">>,
  ): Promise<void> {
    await db
      .update(integrationEvents)
      .set(patch)
      .where(and(eq(integrationEvents.projectId, projectId), eq(integrationEvents.id, id)));
  }

  events(
    db: Db,
    projectId: string,
    integrationId: string,
    opts: { limit: number; level?: string | undefined; since?: Date | undefined; event?: string | undefined },
  ): Promise<IntegrationEventRow[]> {
    return db
      .select()
      .from(integrationEvents)
      .where(
        and(
          eq(integrationEvents.projectId, projectId),
          eq(integrationEvents.integrationId, integrationId),
          opts.level ? eq(integrationEvents.level, opts.level as "info") : undefined,
          opts.since ? gte(integrationEvents.createdAt, opts.since) : undefined,
          opts.event ? eq(integrationEvents.event, opts.event) : undefined,
        ),
      )
      .orderBy(desc(integrationEvents.createdAt))
      .limit(opts.limit);
  }

  /** Delivery and test counts and delivery latencies since `since`, computed in the database. */
  async stats(db: Db, projectId: string, integrationId: string, since: Date): Promise<IntegrationStats> {
    const e = integrationEvents;
    const delivery = sql`${e.event} = 'delivery'`;
    const [row] = await db
      .select({
        sent: sql<number>`count(*) filter (where ${delivery} and ${e.status} = 'sent')`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${delivery} and ${e.status} = 'failed')`.mapWith(Number),
        total: sql<number>`count(*) filter (where ${delivery})`.mapWith(Number),
        avg: sql<number | null>`avg(${e.latencyMs}) filter (where ${delivery} and ${e.status} = 'sent')`,
        p95: sql<
          number | null
        >`percentile_cont(0.95) within group (order by ${e.latencyMs}) filter (where ${delivery} and ${e.status} = 'sent')`,
        max: sql<number | null>`max(${e.latencyMs}) filter (where ${delivery} and ${e.status} = 'sent')`,
        testsOk: sql<number>`count(*) filter (where ${e.event} = 'test' and ${e.status} = 'ok')`.mapWith(Number),
        testsFailed: sql<number>`count(*) filter (where ${e.event} = 'test' and ${e.status} = 'failed')`.mapWith(
          Number,
        ),
      })
      .from(e)
      .where(and(eq(e.projectId, projectId), eq(e.integrationId, integrationId), gte(e.createdAt, since)));
    const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
    return {
      sent: row?.sent ?? 0,
      failed: row?.failed ?? 0,
      total: row?.total ?? 0,
      avgMs: num(row?.avg),
      p95Ms: num(row?.p95),
      maxMs: num(row?.max),
      testsOk: row?.testsOk ?? 0,
      testsFailed: row?.testsFailed ?? 0,
    };
  }
}

export interface IntegrationStats {
  sent: number;
  failed: number;
  total: number;
  avgMs: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  testsOk: number;
  testsFailed: number;
}
