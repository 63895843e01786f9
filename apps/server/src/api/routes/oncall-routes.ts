import {
  EscalationPolicy,
  EscalationPolicyInput,
  EscalationStatus,
  OnCallAt,
  Schedule,
  ScheduleInput,
  ScheduleOverride,
  ShiftTimeline,
} from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { NotFoundError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { projectOf, requireRole } from "../request-identity.js";

const idParams = z.object({ id: z.string().min(1).max(100) });
const atQuery = z.object({ at: z.iso.datetime({ offset: true }).optional() });
const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number() });
const instant = (s: string | undefined) => (s ? new Date(s) : new Date());

/**
 * On-call schedules, escalation policies and incidents' escalation state (issue #12). Reads are open to
 * every member of the project; writes need the admin role. Errors use seed 003's envelope.
 */
export function registerOnCallRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const schedules = d.oncall.schedules;
  const policies = d.oncall.policies;
  const tags = ["oncall"];

  app.get(
    "/api/v1/oncall/schedules",
    { schema: { tags, summary: "List on-call schedules", response: { 200: list(Schedule) } } },
    async (req) => {
      const items = await schedules.list(projectOf(req));
      return { items, total: items.length };
    },
  );
  app.post(
    "/api/v1/oncall/schedules",
    {
      schema: {
        tags,
        summary: "Create an on-call schedule (admin)",
        description:
          "Layers rotate their users daily, weekly or every `shift_length_hours`, handing off at `handoff_time` in the schedule's IANA `time_zone` (daylight saving included); later layers win over earlier ones, overrides over every layer.",
        body: ScheduleInput,
        response: { 201: Schedule },
      },
    },
    async (req, reply) => {
      requireRole(req, "admin");
      return reply.code(201).send(await schedules.create(projectOf(req), req.body));
    },
  );
  app.get(
    "/api/v1/oncall/schedules/:id",
    { schema: { tags, summary: "One on-call schedule", params: idParams, response: { 200: Schedule } } },
    async (req) => schedules.get(projectOf(req), req.params.id),
  );
  app.put(
    "/api/v1/oncall/schedules/:id",
    {
      schema: {
        tags,
        summary: "Replace an on-call schedule (admin)",
        params: idParams,
        body: ScheduleInput,
        response: { 200: Schedule },
      },
    },
    async (req) => {
      requireRole(req, "admin");
      return schedules.replace(projectOf(req), req.params.id, req.body);
    },
  );
  app.delete(
    "/api/v1/oncall/schedules/:id",
    { schema: { tags, summary: "Delete an on-call schedule (admin)", params: idParams, response: { 204: z.null() } } },
    async (req, reply) => {
      requireRole(req, "admin");
      await schedules.delete(projectOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    "/api/v1/oncall/schedules/:id/overrides",
    {
      schema: {
        tags,
        summary: "Add an override: a person covers a time range, above every layer (admin)",
        params: idParams,
        body: ScheduleOverride,
        response: { 201: Schedule },
      },
    },
    async (req, reply) => {
      requireRole(req, "admin");
      return reply.code(201).send(await schedules.addOverride(projectOf(req), req.params.id, req.body));
    },
  );
  app.delete(
    "/api/v1/oncall/schedules/:id/overrides/:override_id",
    {
      schema: {
        tags,
        summary: "Remove an override (admin)",
        params: idParams.extend({ override_id: z.string().min(1).max(100) }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      requireRole(req, "admin");
      await schedules.removeOverride(projectOf(req), req.params.id, req.params.override_id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    "/api/v1/oncall/schedules/:id/on-call",
    {
      schema: {
        tags,
        summary: "Who is on call on a schedule now, or at `at` (ISO 8601 with offset)",
        params: idParams,
        querystring: atQuery,
        response: { 200: OnCallAt },
      },
    },
    async (req) => schedules.onCallAt(projectOf(req), req.params.id, instant(req.query.at)),
  );
  app.get(
    "/api/v1/oncall/schedules/:id/shifts",
    {
      schema: {
        tags,
        summary: "The rendered shifts of a schedule over [from, to) (default: the next 14 days; at most 93)",
        params: idParams,
        querystring: z.object({
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
        }),
        response: { 200: ShiftTimeline },
      },
    },
    async (req) => {
      const from = instant(req.query.from);
      const to = req.query.to ? new Date(req.query.to) : new Date(from.getTime() + 14 * 86_400_000);
      return schedules.shifts(projectOf(req), req.params.id, from, to);
    },
  );
  app.get(
    "/api/v1/oncall/now",
    {
      schema: {
        tags,
        summary: "Who is on call on every schedule of the project now, or at `at`",
        querystring: atQuery,
        response: { 200: z.object({ at: z.string(), on_call: z.array(OnCallAt) }) },
      },
    },
    async (req) => {
      const at = instant(req.query.at);
      return { at: at.toISOString(), on_call: await schedules.onCallNow(projectOf(req), at) };
    },
  );

  app.get(
    "/api/v1/oncall/escalation-policies",
    { schema: { tags, summary: "List escalation policies", response: { 200: list(EscalationPolicy) } } },
    async (req) => {
      const items = await policies.list(projectOf(req));
      return { items, total: items.length };
    },
  );
  app.post(
    "/api/v1/oncall/escalation-policies",
    {
      schema: {
        tags,
        summary: "Create an escalation policy (admin)",
        description:
          "`service` null makes it the project's default; at most one policy per service (409 otherwise). Each level pages its targets (users, schedules' on-call person, channels) and waits `delay_minutes` for an acknowledgement before the next; `repeat` runs the levels again.",
        body: EscalationPolicyInput,
        response: { 201: EscalationPolicy },
      },
    },
    async (req, reply) => {
      requireRole(req, "admin");
      return reply.code(201).send(await policies.create(projectOf(req), req.body));
    },
  );
  app.get(
    "/api/v1/oncall/escalation-policies/:id",
    { schema: { tags, summary: "One escalation policy", params: idParams, response: { 200: EscalationPolicy } } },
    async (req) => policies.get(projectOf(req), req.params.id),
  );
  app.put(
    "/api/v1/oncall/escalation-policies/:id",
    {
      schema: {
        tags,
        summary: "Replace an escalation policy (admin); running escalations keep the version they started with",
        params: idParams,
        body: EscalationPolicyInput,
        response: { 200: EscalationPolicy },
      },
    },
    async (req) => {
      requireRole(req, "admin");
      return policies.replace(projectOf(req), req.params.id, req.body);
    },
  );
  app.delete(
    "/api/v1/oncall/escalation-policies/:id",
    {
      schema: { tags, summary: "Delete an escalation policy (admin)", params: idParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      requireRole(req, "admin");
      await policies.delete(projectOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    "/api/v1/oncall/escalations/:incident_id",
    {
      schema: {
        tags,
        summary:
          "An incident's escalation (by id or INC-<n>): level paged last, next due time, pages sent, why it stopped",
        params: z.object({ incident_id: z.string().min(1).max(200) }),
        response: { 200: EscalationStatus },
      },
    },
    async (req) => {
      const projectId = projectOf(req);
      // The incident's id or its INC-<n> reference; an unknown incident is a 404 from the resource.
      const incidentId = await d.incidentResource.idOf(projectId, req.params.incident_id);
      const status = await d.oncall.escalations.status(projectId, incidentId);
      if (!status) throw new NotFoundError(`no escalation for incident ${req.params.incident_id}`);
      return status;
    },
  );
}
