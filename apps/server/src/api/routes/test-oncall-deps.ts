import { EscalationEngine } from "../../engine/escalation-engine.js";
import { templateList } from "../../engine/page-templates.js";
import { IncidentRecorder } from "../../engine/recorder.js";
import { SettingsBackup } from "../../engine/settings-backup.js";
import { SettingsService } from "../../engine/settings-service.js";
import { InProcessEventBus } from "../../events/event-bus.js";
import { EscalationPolicyService } from "../../oncall/escalation-policy-service.js";
import { ScheduleService } from "../../oncall/schedule-service.js";
import { UnconfiguredNotifier } from "../../oncall/unconfigured-notifier.js";
import { createLogger } from "../../shared/logger.js";
import type { Database } from "../../store/database.js";
import { EscalationStore } from "../../store/escalation-store.js";
import { IncidentStore } from "../../store/incident-store.js";
import { OnCallStore } from "../../store/oncall-store.js";
import { RunbookStore } from "../../store/runbook-store.js";
import { SettingsStore } from "../../store/settings-store.js";
import type { AppDeps } from "../app-deps.js";

/** The real on-call and settings services over `database`, for route tests (knowledge-base counts are the caller's). */
export function oncallDeps(database: Database): Pick<AppDeps, "oncall" | "settings"> {
  const oncallStore = new OnCallStore();
  const settingsStore = new SettingsStore();
  const schedules = new ScheduleService(database, oncallStore);
  const settings = new SettingsService(database, settingsStore);
  const incidents = new IncidentStore();
  const escalations = new EscalationEngine({
    database,
    store: new EscalationStore(),
    oncall: oncallStore,
    schedules,
    incidents,
    recorder: new IncidentRecorder(database, incidents, new InProcessEventBus()),
    notifier: new UnconfiguredNotifier(),
    logger: createLogger("silent"),
  });
  return {
    oncall: { schedules, policies: new EscalationPolicyService(database, oncallStore), escalations },
    settings: {
      settings,
      backups: new SettingsBackup(database, settingsStore, oncallStore, settings, {
        store: new RunbookStore(),
        reindex: async () => undefined,
      }),
      templates: templateList,
      knowledgeBase: async () => {
        throw new Error("knowledge base view is not wired in this test");
      },
    },
  };
}
