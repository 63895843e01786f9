import {
  AutomationSettings,
  EscalationPolicy,
  KnowledgeBaseSettings,
  MessageTemplate,
  NotificationSettings,
  OnCallAt,
  ProjectSettings,
  ProjectSettingsUpdate,
  Schedule,
  SettingsBackupInfo,
  seed003Envelope,
} from "@aegis/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { principalOf, projectOf, requireRole } from "../request-identity.js";

const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number() });
const ok = <T>(message: string, data: T) => ({ success: true as const, message, data });
const byOf = (req: FastifyRequest) => {
  const p = principalOf(req);
  return `${p.kind}:${p.id}`;
};

/** Seed 003 settings, in its `{success, message, data}` envelope. Reads: any member; writes: admin. */
export function registerSettingsRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const s = d.settings;
  const tags = ["settings"];

  app.get(
    "/api/v1/settings",
    {
      schema: {
        tags,
        summary: "All settings of the project (general, notifications, automation)",
        response: { 200: seed003Envelope(ProjectSettings) },
      },
    },
    async (req) => ok("Settings retrieved", await s.settings.get(projectOf(req))),
  );
  app.put(
    "/api/v1/settings",
    {
      schema: {
        tags,
        summary: "Update settings (admin): each section given is merged over the current one",
        body: ProjectSettingsUpdate,
        response: { 200: seed003Envelope(ProjectSettings) },
      },
    },
    async (req) => {
      requireRole(req, "admin");
      return ok("Settings updated", await s.settings.update(projectOf(req), byOf(req), req.body));
    },
  );
  app.get(
    "/api/v1/settings/notifications",
    {
      schema: {
        tags,
        summary: "Which notification channels (by name or id) receive which events",
        response: { 200: seed003Envelope(NotificationSettings) },
      },
    },
    async (req) => ok("Notification settings retrieved", (await s.settings.get(projectOf(req))).notifications),
  );
  app.put(
    "/api/v1/settings/notifications",
    {
      schema: {
        tags,
        summary: "Update notification routing (admin)",
        body: NotificationSettings.partial().strict(),
        response: { 200: seed003Envelope(NotificationSettings) },
      },
    },
    async (req) => {
      requireRole(req, "admin");
      const next = await s.settings.update(projectOf(req), byOf(req), { notifications: req.body });
      return ok("Notification settings updated", next.notifications);
    },
  );
  app.get(
    "/api/v1/settings/automation",
    {
      schema: {
        tags,
        summary:
          "Automation mode: auto (execute approved actions), approve (a human approves each), suggest (never execute)",
        response: { 200: seed003Envelope(AutomationSettings) },
      },
    },
    async (req) => ok("Automation settings retrieved", (await s.settings.get(projectOf(req))).automation),
  );
  app.put(
    "/api/v1/settings/automation",
    {
      schema: {
        tags,
        summary: "Update the automation mode, project-wide and per action type (admin)",
        body: AutomationSettings.partial().strict(),
        response: { 200: seed003Envelope(AutomationSettings) },
      },
    },
    async (req) => {
      requireRole(req, "admin");
      const next = await s.settings.update(projectOf(req), byOf(req), { automation: req.body });
      return ok("Automation settings updated", next.automation);
    },
  );
  app.get(
    "/api/v1/settings/escalation-policies",
    {
      schema: {
        tags,
        summary: "Escalation policies (managed under /api/v1/oncall/escalation-policies)",
        response: { 200: seed003Envelope(list(EscalationPolicy)) },
      },
    },
    async (req) => {
      const items = await d.oncall.policies.list(projectOf(req));
      return ok("Escalation policies retrieved", { items, total: items.length });
    },
  );
  app.get(
    "/api/v1/settings/oncall-schedules",
    {
      schema: {
        tags,
        summary: "On-call schedules with who is on call now (managed under /api/v1/oncall/schedules)",
        response: {
          200: seed003Envelope(
            list(Schedule.extend({ on_call_now: OnCallAt.shape.user, current_shift: OnCallAt.shape.shift })),
          ),
        },
      },
    },
    async (req) => {
      const projectId = projectOf(req);
      const now = new Date();
      const [items, current] = await Promise.all([
        d.oncall.schedules.list(projectId),
        d.oncall.schedules.onCallNow(projectId, now),
      ]);
      const byId = new Map(current.map((c) => [c.schedule_id, c]));
      const data = items.map((sch) => ({
        ...sch,
        on_call_now: byId.get(sch.id)?.user ?? null,
        current_shift: byId.get(sch.id)?.shift ?? null,
      }));
      return ok("On-call schedules retrieved", { items: data, total: data.length });
    },
  );
  app.get(
    "/api/v1/settings/templates",
    {
      schema: {
        tags,
        summary: "The page templates escalation renders (variables in `{{name}}`)",
        response: { 200: seed003Envelope(list(MessageTemplate)) },
      },
    },
    async () => {
      const items = s.templates();
      return ok("Templates retrieved", { items, total: items.length });
    },
  );
  app.get(
    "/api/v1/settings/knowledge-base",
    {
      schema: {
        tags,
        summary: "The knowledge base's retrieval configuration in use and its counts",
        response: { 200: seed003Envelope(KnowledgeBaseSettings) },
      },
    },
    async (req) => ok("Knowledge base configuration retrieved", await s.knowledgeBase(projectOf(req))),
  );
  app.post(
    "/api/v1/settings/backup",
    {
      schema: {
        tags,
        summary: "Back up the project's configuration (admin): settings, schedules, escalation policies",
        description:
          "Stored on the server with its SHA-256; restore it with POST /api/v1/settings/restore/{backup_id}.",
        response: { 201: seed003Envelope(SettingsBackupInfo) },
      },
    },
    async (req, reply) => {
      requireRole(req, "admin");
      const info = await s.backups.create(projectOf(req), byOf(req));
      return reply.code(201).send(ok("Backup created", info));
    },
  );
  app.get(
    "/api/v1/settings/backups",
    {
      schema: {
        tags,
        summary: "Backups of the project, newest first",
        response: { 200: seed003Envelope(list(SettingsBackupInfo)) },
      },
    },
    async (req) => {
      const items = await s.backups.list(projectOf(req));
      return ok("Backups retrieved", { items, total: items.length });
    },
  );
  app.post(
    "/api/v1/settings/restore/:backup_id",
    {
      schema: {
        tags,
        summary: "Restore a backup (admin): checked first, then applied in one transaction",
        description:
          "A backup whose checksum or contents do not verify is refused with 400 and nothing changes. Settings, schedules and escalation policies are replaced by the backup's.",
        params: z.object({ backup_id: z.string().min(1).max(100) }),
        response: { 200: seed003Envelope(SettingsBackupInfo) },
      },
    },
    async (req) => {
      requireRole(req, "admin");
      const info = await s.backups.restore(projectOf(req), req.params.backup_id, byOf(req));
      return ok("Backup restored", info);
    },
  );
}
