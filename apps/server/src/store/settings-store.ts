import type { ProjectSettings } from "@aegis/contracts";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "./database.js";
import { projectSettings, settingsBackups } from "./schema-oncall.js";

export type BackupRow = typeof settingsBackups.$inferSelect;

/** A project's settings document and its configuration backups. */
export class SettingsStore {
  async get(db: Db, projectId: string): Promise<ProjectSettings | undefined> {
    const rows = await db
      .select({ settings: projectSettings.settings })
      .from(projectSettings)
      .where(eq(projectSettings.projectId, projectId));
    return rows[0]?.settings;
  }

  async put(db: Db, projectId: string, settings: ProjectSettings, by: string): Promise<void> {
    const now = new Date();
    await db
      .insert(projectSettings)
      .values({ projectId, settings, updatedAt: now, updatedBy: by })
      .onConflictDoUpdate({ target: projectSettings.projectId, set: { settings, updatedAt: now, updatedBy: by } });
  }

  async insertBackup(db: Db, row: typeof settingsBackups.$inferInsert): Promise<BackupRow> {
    const [created] = await db.insert(settingsBackups).values(row).returning();
    return created as BackupRow;
  }

  async getBackup(db: Db, projectId: string, id: string): Promise<BackupRow | undefined> {
    const rows = await db
      .select()
      .from(settingsBackups)
      .where(and(eq(settingsBackups.projectId, projectId), eq(settingsBackups.id, id)));
    return rows[0];
  }

  listBackups(db: Db, projectId: string, limit: number): Promise<BackupRow[]> {
    return db
      .select()
      .from(settingsBackups)
      .where(eq(settingsBackups.projectId, projectId))
      .orderBy(desc(settingsBackups.createdAt))
      .limit(limit);
  }
}
