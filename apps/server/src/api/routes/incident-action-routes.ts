import { IncidentActionInput } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { onCallReply } from "../on-call-reply.js";
import { principalOf, projectOf, requireRole } from "../request-identity.js";

const IdParams = z.object({ id: z.string().min(1).max(200) });
const User = z.string().min(1).max(320);

/**
 * Seed 003's actions on the one incident resource (`{id}` is an id or `INC-<n>`): acknowledge and
 * resolve move the lifecycle (409 names the allowed moves), actions go to the council, the timeline,
 * related incidents and the feedback given on the diagnosis.
 */
export function registerIncidentActionRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const a = d.incidentActions;
  const tags = ["incidents"];

  app.post(
    "/api/v1/incidents/:id/actions",
    {
      schema: {
        tags,
        summary: "Ask for a remediation action; it goes through the council like any proposal",
        description:
          "Body `{action: RESTART|SCALE_UP|SCALE_DOWN|ROLLBACK|NOOP, target?, replicas?, reason?, user?, dry_run?}` (`action_type` is accepted for `action`). The action becomes a follow-up incident the pipeline runs: the council and its hard policy review it, then it is executed, parked for human approval (`POST /api/v1/incidents/{action_id}/approve`) or rejected. Answers 202 with the follow-up's id.",
        params: IdParams,
        body: IncidentActionInput,
      },
    },
    async (req, reply) => {
      requireRole(req, "member");
      const queued = await a.runAction(projectOf(req), principalOf(req), req.params.id, req.body);
      return reply
        .code(202)
        .send(onCallReply(`${queued.action} queued for council review as ${queued.reference}`, queued));
    },
  );

  app.get(
    "/api/v1/incidents/:id/timeline",
    { schema: { tags, summary: "The incident's timeline, oldest first", params: IdParams } },
    async (req) => {
      const items = await d.incidentResource.timeline(projectOf(req), req.params.id);
      return onCallReply(`${items.length} timeline entries`, { incident_id: req.params.id, items });
    },
  );

  app.get(
    "/api/v1/incidents/:id/related",
    {
      schema: {
        tags,
        summary: "Similar past incidents from the knowledge base, scores weighted by people's feedback",
        params: IdParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(50).default(5) }),
      },
    },
    async (req) => {
      const items = await a.related(projectOf(req), req.params.id, req.query.limit);
      return onCallReply(`${items.length} related incidents`, { items });
    },
  );

  app.post(
    "/api/v1/incidents/:id/acknowledge",
    {
      schema: {
        tags,
        summary: "Acknowledge the incident (lifecycle → acknowledged), attributed to `user`",
        params: IdParams,
        querystring: z.object({ user: User.optional() }),
      },
    },
    async (req) => {
      requireRole(req, "member");
      const moved = await a.acknowledge(projectOf(req), principalOf(req), req.params.id, req.query.user);
      return onCallReply(`Incident ${moved.reference} acknowledged`, {
        ...moved,
        acknowledged_by: req.query.user ?? null,
      });
    },
  );

  app.post(
    "/api/v1/incidents/:id/resolve",
    {
      schema: {
        tags,
        summary: "Resolve the incident (lifecycle → resolved) with a `resolution`, attributed to `user`",
        params: IdParams,
        querystring: z.object({ resolution: z.string().min(1).max(2000).optional(), user: User.optional() }),
      },
    },
    async (req) => {
      requireRole(req, "member");
      const q = req.query;
      const moved = await a.resolve(projectOf(req), principalOf(req), req.params.id, q.resolution, q.user);
      return onCallReply(`Incident ${moved.reference} resolved`, { ...moved, resolved_by: q.user ?? null });
    },
  );

  app.get(
    "/api/v1/incidents/:id/feedback",
    { schema: { tags, summary: "Feedback people gave on the incident's diagnosis", params: IdParams } },
    async (req) => {
      const items = await a.feedbackOf(projectOf(req), req.params.id);
      return onCallReply(`${items.length} feedback entries`, { items });
    },
  );
}
