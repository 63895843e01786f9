import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "./database.js";
import { escalationPolicies, oncallSchedules, type StoredOverride } from "./schema-oncall.js";

export type ScheduleRow = typeof oncallSchedules.$inferSelect;
export type NewSchedule = typeof oncallSchedules.$inferInsert;
export type PolicyRow = typeof escalationPolicies.$inferSelect;
export type NewPolicy = typeof escalationPolicies.$inferInsert;

/** On-call schedules and escalation policies of a project. */
export class OnCallStore {
  listSchedules(db: Db, projectId: string): Promise<ScheduleRow[]> {
    return db
      .select()
      .from(oncallSchedules)
      .where(eq(oncallSchedules.projectId, projectId))
      .orderBy(asc(oncallSchedules.name), asc(oncallSchedules.id));
  }

  async getSchedule(db: Db, projectId: string, id: string): Promise<ScheduleRow | undefined> {
    const rows = await db
      .select()
      .from(oncallSchedules)
      .where(and(eq(oncallSchedules.projectId, projectId), eq(oncallSchedules.id, id)));
    return rows[0];
  }

  /** The schedule, locked until the caller's transaction ends (a read-modify-write of its overrides). */
  async lockSchedule(tx: Db, projectId: string, id: string): Promise<ScheduleRow | undefined> {
    const rows = await tx
      .select()
      .from(oncallSchedules)
      .where(and(eq(oncallSchedules.projectId, projectId), eq(oncallSchedules.id, id)))
      .for("update");
    return rows[0];
  }

  async setOverrides(tx: Db, projectId: string, id: string, overrides: StoredOverride[]): Promise<ScheduleRow> {
    const [row] = await tx
      .update(oncallSchedules)
      .set({ overrides, updatedAt: new Date() })
      .where(and(eq(oncallSchedules.projectId, projectId), eq(oncallSchedules.id, id)))
      .returning();
    return row as ScheduleRow;
  }

  async insertSchedule(db: Db, row: NewSchedule): Promise<ScheduleRow> {
    const [created] = await db.insert(oncallSchedules).values(row).returning();
    return created as ScheduleRow;
  }

  async updateSchedule(
    db: Db,
    projectId: string,
    id: string,
    patch: Omit<NewSchedule, "projectId" | "id" | "createdAt">,
  ): Promise<ScheduleRow | undefined> {
    const [row] = await db
      .update(oncallSchedules)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(oncallSchedules.projectId, projectId), eq(oncallSchedules.id, id)))
      .returning();
    return row;
  }

  async deleteSchedule(db: Db, projectId: string, id: string): Promise<boolean> {
    const rows = await db
      .delete(oncallSchedules)
      .where(and(eq(oncallSchedules.projectId, projectId), eq(oncallSchedules.id, id)))
      .returning({ id: oncallSchedules.id });
    return rows.length > 0;
  }

  listPolicies(db: Db, projectId: string): Promise<PolicyRow[]> {
    return db
      .select()
      .from(escalationPolicies)
      .where(eq(escalationPolicies.projectId, projectId))
      .orderBy(asc(escalationPolicies.name), asc(escalationPolicies.id));
  }

  async getPolicy(db: Db, projectId: string, id: string): Promise<PolicyRow | undefined> {
    const rows = await db
      .select()
      .from(escalationPolicies)
      .where(and(eq(escalationPolicies.projectId, projectId), eq(escalationPolicies.id, id)));
    return rows[0];
  }

  /**
   * Every escalation policy of these projects, in one statement, as a lookup: the policy of `service` if
   * one exists, else the project's default (the one with no service).
   */
  async policiesOf(
    db: Db,
    projectIds: readonly string[],
  ): Promise<(projectId: string, service: string | null) => PolicyRow | undefined> {
    const rows =
      projectIds.length === 0
        ? []
        : await db
            .select()
            .from(escalationPolicies)
            .where(inArray(escalationPolicies.projectId, [...projectIds]));
    const byKey = new Map(rows.map((p) => [`${p.projectId}\u0000${p.service ?? ""}`, p]));
    return (projectId, service) =>
      (service ? byKey.get(`${projectId}\u0000${service}`) : undefined) ?? byKey.get(`${projectId}\u0000`);
  }

  /** The policy holding `service` (null: the default), to name it in a conflict. */
  async policyOfService(db: Db, projectId: string, service: string | null): Promise<PolicyRow | undefined> {
    const rows = await db
      .select()
      .from(escalationPolicies)
      .where(
        and(
          eq(escalationPolicies.projectId, projectId),
          service === null ? isNull(escalationPolicies.service) : eq(escalationPolicies.service, service),
        ),
      );
    return rows[0];
  }

  async insertPolicy(db: Db, row: NewPolicy): Promise<PolicyRow> {
    const [created] = await db.insert(escalationPolicies).values(row).returning();
    return created as PolicyRow;
  }

  async updatePolicy(
    db: Db,
    projectId: string,
    id: string,
    patch: Omit<NewPolicy, "projectId" | "id" | "createdAt">,
  ): Promise<PolicyRow | undefined> {
    const [row] = await db
      .update(escalationPolicies)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(escalationPolicies.projectId, projectId), eq(escalationPolicies.id, id)))
      .returning();
    return row;
  }

  async deletePolicy(db: Db, projectId: string, id: string): Promise<boolean> {
    const rows = await db
      .delete(escalationPolicies)
      .where(and(eq(escalationPolicies.projectId, projectId), eq(escalationPolicies.id, id)))
      .returning({ id: escalationPolicies.id });
    return rows.length > 0;
  }

  /** Replace every schedule and policy of a project (restore), inside the caller's transaction. */
  async replaceAll(tx: Db, projectId: string, schedules: NewSchedule[], policies: NewPolicy[]): Promise<void> {
    await tx.delete(escalationPolicies).where(eq(escalationPolicies.projectId, projectId));
    await tx.delete(oncallSchedules).where(eq(oncallSchedules.projectId, projectId));
    if (schedules.length > 0) await tx.insert(oncallSchedules).values(schedules);
    if (policies.length > 0) await tx.insert(escalationPolicies).values(policies);
  }
}
