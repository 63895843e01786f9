import { CopilotError } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ForbiddenError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import type { RouteRateLimit } from "../copilot-rate-limits.js";
import { principalOf, projectOf } from "../request-identity.js";
import { copilotPaths, isExamplePath } from "./copilot-paths.js";

const TicketRequest = z.object({
  incident_id: z.string().min(1).max(200).optional(),
  title: z.string().min(1).max(255),
  description: z.string().min(1).max(32_000),
  priority: z.enum(["critical", "high", "medium", "low"]),
  assignee: z.string().min(1).max(200).optional(),
});

const Created = z.object({ ticket_id: z.string(), ticket_url: z.string(), created_at: z.string() });

const Ticket = Created.extend({
  incident_id: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  priority: z.string(),
  assignee: z.string().nullable(),
  sink: z.string(),
});

const errors = { 400: CopilotError, 401: CopilotError, 429: CopilotError };

/** Seed 001 `POST /api/v1/tickets`, and the ticket a stored ticket's URL points at, and the list. */
export function registerTicketRoutes(fastify: FastifyInstance, d: AppDeps, rateLimit: RouteRateLimit): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  for (const url of copilotPaths("/api/v1/tickets"))
    app.post(
      url,
      {
        config: { rateLimit },
        schema: {
          hide: isExamplePath(url),
          tags: ["tickets"],
          summary: "Create a ticket (stored; also filed in Jira when configured)",
          description:
            "Stored in the caller's project. With JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN and JIRA_PROJECT_KEY set it is filed in Jira first: `ticket_id` is the issue key and `ticket_url` its browse link; a Jira refusal is a 502 and nothing is stored. Without Jira, `ticket_url` is this API's `GET /api/v1/tickets/{id}`.",
          body: TicketRequest,
          response: { 201: Created, 403: CopilotError, 502: CopilotError, ...errors },
        },
      },
      async (req, reply) => {
        // Filing a ticket writes (and may page someone through Jira): read-only viewers may not.
        if (principalOf(req).role === "viewer") throw new ForbiddenError("role viewer may not create tickets");
        const b = req.body;
        const t = await d.tickets.create(projectOf(req), {
          title: b.title,
          description: b.description,
          priority: b.priority,
          assignee: b.assignee,
          incidentId: b.incident_id,
        });
        return reply.code(201).send({ ticket_id: t.ticket_id, ticket_url: t.ticket_url, created_at: t.created_at });
      },
    );

  app.get(
    "/api/v1/tickets",
    {
      config: { rateLimit },
      schema: {
        tags: ["tickets"],
        summary: "List the project's tickets, newest first",
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(20),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({ tickets: z.array(Ticket), total: z.number().int(), limit: z.number(), offset: z.number() }),
          ...errors,
        },
      },
    },
    async (req) => {
      const { limit, offset } = req.query;
      return { ...(await d.tickets.list(projectOf(req), limit, offset)), limit, offset };
    },
  );

  app.get(
    "/api/v1/tickets/:ticket_id",
    {
      config: { rateLimit },
      schema: {
        tags: ["tickets"],
        summary: "One ticket of the project",
        params: z.object({ ticket_id: z.string().min(1) }),
        response: { 200: Ticket, 404: CopilotError, ...errors },
      },
    },
    (req) => d.tickets.get(projectOf(req), req.params.ticket_id),
  );
}
