import type {
  AutomatedAction,
  AutomationMode,
  AutomationSettings,
  NotificationEvent,
  NotificationSettings,
  ProjectSettings,
  ProjectSettingsUpdate,
} from "@aegis/contracts";
import type { Database } from "../store/database.js";
import type { SettingsStore } from "../store/settings-store.js";
import type { AutomationModes } from "./automation-mode.js";
import type { PageRouting } from "./escalation-engine.js";

/** A project's settings before anyone changes them: automation as the product has always run. */
export const DEFAULT_SETTINGS: ProjectSettings = {
  general: { organization_name: null, time_zone: "UTC", public_url: null },
  notifications: { enabled: true, default_channels: [], routes: {} },
  automation: { mode: "auto", per_action: {} },
};

/**
 * Seed 003's settings of a project: one document of sections (general, notifications, automation),
 * each updated whole or in part. Its automation section is what the pipeline obeys and its
 * notification routes are where escalation's first page of an incident also goes.
 */
export class SettingsService implements AutomationModes, PageRouting {
  constructor(
    private readonly database: Database,
    private readonly store: SettingsStore,
  ) {}

  async get(projectId: string): Promise<ProjectSettings> {
    const stored = await this.store.get(this.database.db, projectId);
    if (!stored) return structuredClone(DEFAULT_SETTINGS);
    // Sections added after a project last saved start at their defaults.
    return {
      general: { ...DEFAULT_SETTINGS.general, ...stored.general },
      notifications: { ...DEFAULT_SETTINGS.notifications, ...stored.notifications },
      automation: { ...DEFAULT_SETTINGS.automation, ...stored.automation },
    };
  }

  /** Each section given is merged over the current one (its own fields replaced whole). */
  async update(projectId: string, by: string, patch: ProjectSettingsUpdate): Promise<ProjectSettings> {
    return this.database.db.transaction(async (tx) => {
      const current = (await this.store.get(tx, projectId)) ?? DEFAULT_SETTINGS;
      const next: ProjectSettings = {
        general: { ...DEFAULT_SETTINGS.general, ...current.general, ...(patch.general ?? {}) },
        notifications: { ...DEFAULT_SETTINGS.notifications, ...current.notifications, ...(patch.notifications ?? {}) },
        automation: { ...DEFAULT_SETTINGS.automation, ...current.automation, ...(patch.automation ?? {}) },
      };
      await this.store.put(tx, projectId, next, by);
      return next;
    });
  }

  async notifications(projectId: string): Promise<NotificationSettings> {
    return (await this.get(projectId)).notifications;
  }

  async automation(projectId: string): Promise<AutomationSettings> {
    return (await this.get(projectId)).automation;
  }

  async modeFor(projectId: string, action: AutomatedAction): Promise<AutomationMode> {
    const a = await this.automation(projectId);
    return a.per_action[action] ?? a.mode;
  }

  async channelsFor(projectId: string, event: NotificationEvent): Promise<string[]> {
    const n = await this.notifications(projectId);
    if (!n.enabled) return [];
    return n.routes[event] ?? n.default_channels;
  }

  async publicUrl(projectId: string): Promise<string | null> {
    return (await this.get(projectId)).general.public_url;
  }
}
