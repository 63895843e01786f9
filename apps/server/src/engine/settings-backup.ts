import { createHash, randomUUID } from "node:crypto";
import { EscalationPolicy, ProjectSettings, Schedule, type SettingsBackupInfo } from "@aegis/contracts";
import { z } from "zod";
import { policyOf } from "../oncall/escalation-policy-service.js";
import { scheduleOf } from "../oncall/schedule-service.js";
import { InputError, NotFoundError } from "../shared/errors.js";
import type { Database } from "../store/database.js";
import type { OnCallStore } from "../store/oncall-store.js";
import type { RunbookStore } from "../store/runbook-store.js";
import type { BackupRow, SettingsStore } from "../store/settings-store.js";
import { templateList } from "./page-templates.js";
import type { SettingsService } from "./settings-service.js";

export const BACKUP_FORMAT = "aegisops.configuration";
export const BACKUP_VERSION = 1;

/** What a backup holds; a restore accepts exactly this, validated before anything is written. */
const BackupPayload = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  project_id: z.string(),
  created_at: z.string(),
  settings: ProjectSettings,
  oncall_schedules: z.array(Schedule),
  escalation_policies: z.array(EscalationPolicy),
  /** The project's runbooks; a restore writes them back (runbooks added since the backup are kept). */
  runbooks: z.array(
    z.object({
      id: z.string().min(1),
      title: z.string().min(1),
      service: z.string().min(1),
      body: z.string().min(1),
      url: z.string().nullable(),
      tags: z.array(z.string()),
    }),
  ),
  /** The page templates in use when the backup was taken (built into the product; for the record). */
  templates: z.array(z.object({ id: z.string() }).loose()),
});
type BackupPayload = z.infer<typeof BackupPayload>;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Backups of a project's configuration (settings, automation, notification routes, on-call schedules,
 * escalation policies, runbooks), stored as text with its SHA-256. A restore checks the checksum and the
 * payload's schema and cross-references first, then replaces settings, schedules and policies and
 * writes the runbooks back, in one transaction: a corrupted or invalid backup changes nothing.
 */
export class SettingsBackup {
  constructor(
    private readonly database: Database,
    private readonly store: SettingsStore,
    private readonly oncall: OnCallStore,
    private readonly settings: Pick<SettingsService, "get">,
    private readonly runbooks: {
      store: Pick<RunbookStore, "all" | "upsert">;
      /** Rebuild the search index of a project's runbooks once a restore has committed. */
      reindex(projectId: string): Promise<unknown>;
    },
  ) {}

  async create(projectId: string, by: string): Promise<SettingsBackupInfo> {
    const db = this.database.db;
    const [settings, schedules, policies, runbooks] = await Promise.all([
      this.settings.get(projectId),
      this.oncall.listSchedules(db, projectId),
      this.oncall.listPolicies(db, projectId),
      this.runbooks.store.all(db, projectId),
    ]);
    const payload: BackupPayload = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      project_id: projectId,
      created_at: new Date().toISOString(),
      settings,
      oncall_schedules: schedules.map(scheduleOf),
      escalation_policies: policies.map(policyOf),
      runbooks: runbooks.map((r) => ({
        id: r.id,
        title: r.title,
        service: r.service,
        body: r.body,
        url: r.url,
        tags: r.tags,
      })),
      templates: templateList(),
    };
    const text = JSON.stringify(payload);
    const row = await this.store.insertBackup(db, {
      projectId,
      id: `bk_${randomUUID()}`,
      payload: text,
      checksum: sha256(text),
      createdBy: by,
    });
    return infoOf(row, payload);
  }

  async list(projectId: string): Promise<SettingsBackupInfo[]> {
    const rows = await this.store.listBackups(this.database.db, projectId, 50);
    return rows.map((r) => infoOf(r, tryParse(r.payload)));
  }

  /** Replace the project's configuration with the backup's, all or nothing. */
  async restore(projectId: string, backupId: string, by: string): Promise<SettingsBackupInfo> {
    const row = await this.store.getBackup(this.database.db, projectId, backupId);
    if (!row) throw new NotFoundError(`backup ${backupId} not found`);
    const payload = this.validated(projectId, row);
    await this.database.db.transaction(async (tx) => {
      await this.store.put(tx, projectId, payload.settings, by);
      await this.oncall.replaceAll(
        tx,
        projectId,
        payload.oncall_schedules.map((s) => ({
          projectId,
          id: s.id,
          name: s.name,
          description: s.description,
          timeZone: s.time_zone,
          layers: s.layers,
          overrides: s.overrides,
          createdAt: new Date(s.created_at),
          updatedAt: new Date(),
        })),
        payload.escalation_policies.map((p) => ({
          projectId,
          id: p.id,
          name: p.name,
          description: p.description,
          service: p.service,
          trigger: p.trigger,
          repeat: p.repeat,
          levels: p.levels,
          createdAt: new Date(p.created_at),
          updatedAt: new Date(),
        })),
      );
      for (const r of payload.runbooks) await this.runbooks.store.upsert(tx, projectId, r);
    });
    if (payload.runbooks.length > 0) await this.runbooks.reindex(projectId);
    return infoOf(row, payload);
  }

  private validated(projectId: string, row: BackupRow): BackupPayload {
    const corrupted = (why: string, details: Record<string, unknown> = {}) =>
      new InputError(`backup ${row.id} cannot be restored: ${why}; nothing was changed`, "backup_invalid", {
        backup_id: row.id,
        ...details,
      });
    const actual = sha256(row.payload);
    if (actual !== row.checksum)
      throw corrupted("its checksum does not match its contents", { expected: row.checksum, actual });
    const parsed = BackupPayload.safeParse(tryParse(row.payload));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({
        loc: ["backup", ...i.path.map(String)],
        msg: i.message,
        type: i.code,
      }));
      throw corrupted("its contents do not match the backup format", { issues });
    }
    const p = parsed.data;
    if (p.project_id !== projectId) throw corrupted(`it belongs to project ${p.project_id}`);
    const scheduleIds = new Set(p.oncall_schedules.map((s) => s.id));
    const services = new Set<string>();
    for (const policy of p.escalation_policies) {
      const key = policy.service ?? "";
      if (services.has(key)) throw corrupted(`two escalation policies for service "${key || "(default)"}"`);
      services.add(key);
      for (const level of policy.levels) {
        for (const t of level.targets) {
          if (t.type === "schedule" && !scheduleIds.has(t.id)) {
            throw corrupted(`policy ${policy.id} targets schedule ${t.id}, which the backup does not hold`);
          }
        }
      }
    }
    return p;
  }
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function infoOf(row: BackupRow, payload: unknown): SettingsBackupInfo {
  const p = (payload ?? {}) as Partial<
    Record<"oncall_schedules" | "escalation_policies" | "runbooks" | "templates", unknown[]>
  >;
  return {
    backup_id: row.id,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    checksum: row.checksum,
    size_bytes: Buffer.byteLength(row.payload),
    contents: {
      settings_sections: 3,
      oncall_schedules: p.oncall_schedules?.length ?? 0,
      escalation_policies: p.escalation_policies?.length ?? 0,
      runbooks: p.runbooks?.length ?? 0,
      templates: p.templates?.length ?? 0,
    },
  };
}
