import { and, desc, eq } from "drizzle-orm";
import type { Db } from "./database.js";
import { incidents, outboundWebhooks, webhookDeliveries } from "./schema.js";

export type WebhookRow = typeof outboundWebhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Persistence of outbound webhooks and their delivery log, scoped to a project. */
export class WebhookStore {
  async insert(db: Db, row: WebhookRow): Promise<WebhookRow> {
    const rows = await db.insert(outboundWebhooks).values(row).returning();
    return rows[0] as WebhookRow;
  }

  /** A real promise (a query builder would run again on every `then`: a cached list must not). */
  async list(db: Db, projectId: string): Promise<WebhookRow[]> {
    return await db
      .select()
      .from(outboundWebhooks)
      .where(eq(outboundWebhooks.projectId, projectId))
      .orderBy(desc(outboundWebhooks.createdAt));
  }

  async get(db: Db, projectId: string, id: string): Promise<WebhookRow | undefined> {
    const rows = await db
      .select()
      .from(outboundWebhooks)
      .where(and(eq(outboundWebhooks.projectId, projectId), eq(outboundWebhooks.id, id)));
    return rows[0];
  }

  /** Removes the webhook; its delivery log goes with it (it has no other owner). */
  async delete(db: Db, projectId: string, id: string): Promise<boolean> {
    return db.transaction(async (tx) => {
      await tx
        .delete(webhookDeliveries)
        .where(and(eq(webhookDeliveries.projectId, projectId), eq(webhookDeliveries.webhookId, id)));
      const rows = await tx
        .delete(outboundWebhooks)
        .where(and(eq(outboundWebhooks.projectId, projectId), eq(outboundWebhooks.id, id)))
        .returning({ id: outboundWebhooks.id });
      return rows.length > 0;
    });
  }

  async insertDelivery(db: Db, row: DeliveryRow): Promise<void> {
    await db.insert(webhookDeliveries).values(row);
  }

  async updateDelivery(
    db: Db,
    projectId: string,
    id: string,
    patch: Partial<
      Pick<DeliveryRow, "status" | "attempts" | "lastStatusCode" | "lastError" | "updatedAt" | "deliveredAt">
    >,
  ): Promise<void> {
    await db
      .update(webhookDeliveries)
      .set(patch)
      .where(and(eq(webhookDeliveries.projectId, projectId), eq(webhookDeliveries.id, id)));
  }

  deliveries(db: Db, projectId: string, webhookId: string, limit: number): Promise<DeliveryRow[]> {
    return db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.projectId, projectId), eq(webhookDeliveries.webhookId, webhookId)))
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(limit);
  }

  /** Deliveries a crash or restart left unfinished, to resume. */
  pending(db: Db): Promise<DeliveryRow[]> {
    return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.status, "pending"));
  }

  /** When an incident of the project was opened (a resolved event reports how long it lasted). */
  async incidentCreatedAt(db: Db, projectId: string, incidentId: string): Promise<Date | undefined> {
    const [row] = await db
      .select({ createdAt: incidents.createdAt })
      .from(incidents)
      .where(and(eq(incidents.projectId, projectId), eq(incidents.id, incidentId)))
      .limit(1);
    return row?.createdAt;
  }
}
