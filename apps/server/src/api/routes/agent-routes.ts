import { AgentAnalyzeInput, AgentFeedbackInput, KnowledgeBaseQuery } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ValidationError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { onCallReply } from "../on-call-reply.js";
import { principalOf, projectOf, requireRole } from "../request-identity.js";

/** Seed 003 `/api/v1/agent/*`: the agent's configuration, health, knowledge, learning and feedback. */
export function registerAgentRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ["agent"];

  app.get(
    "/api/v1/agent/status",
    {
      schema: {
        tags,
        summary: "Providers of the chain with their last hour of calls, pipeline queue, last council decisions",
      },
    },
    async (req) => onCallReply("Agent status", await d.agent.status(projectOf(req))),
  );

  app.post(
    "/api/v1/agent/analyze",
    {
      schema: {
        tags,
        summary: "Analyse a stored incident (`incident_id`) or an alert given inline, with seed 001's analysis engine",
        body: AgentAnalyzeInput,
      },
    },
    async (req) => {
      requireRole(req, "member");
      return onCallReply("Analysis complete", await d.agent.analyze(projectOf(req), req.body));
    },
  );

  app.get(
    "/api/v1/agent/capabilities",
    {
      schema: {
        tags,
        summary: "Actions, executor and targets, providers, tools, council policy and integrations as configured",
      },
    },
    async () => onCallReply("Agent capabilities", d.agent.capabilities()),
  );

  // `GET /api/v1/agent/knowledge-base` (the search) is served by the runbook routes; this is its overview.
  app.get(
    "/api/v1/agent/knowledge-base/summary",
    {
      schema: {
        tags,
        summary: "Counts of learned incidents (by outcome) and runbooks, the latest learned fixes, optional search",
        querystring: KnowledgeBaseQuery,
      },
    },
    async (req) =>
      onCallReply("Knowledge base", await d.agent.knowledgeBase(projectOf(req), req.query.query, req.query.limit)),
  );

  app.get(
    "/api/v1/agent/learning-metrics",
    {
      schema: {
        tags,
        summary: "Per week: feedback (helpful share, mean accuracy) and learned fixes that held or were reopened",
        querystring: z.object({ weeks: z.coerce.number().int().min(1).max(104).default(12) }),
      },
    },
    async (req) => onCallReply("Learning metrics", await d.agent.learningMetrics(projectOf(req), req.query.weeks)),
  );

  app.post(
    "/api/v1/agent/feedback",
    {
      schema: {
        tags,
        summary:
          "Feedback on an incident's diagnosis: `incident_id`, `helpful`, `accuracy` 1–5, `comment` (query or JSON body)",
        description:
          "Stored, shown on the incident (`GET /api/v1/incidents/{id}/feedback` and its hypotheses' `user_feedback`) and used to rank `GET /api/v1/incidents/{id}/related`.",
        querystring: z.record(z.string(), z.string()),
      },
    },
    async (req, reply) => {
      requireRole(req, "member");
      const body = req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>) : {};
      const parsed = AgentFeedbackInput.safeParse({ ...req.query, ...body });
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({
          loc: ["body", ...i.path.map(String)],
          msg: i.message,
          type: i.code,
        }));
        throw new ValidationError(
          `invalid feedback: ${issues.map((i) => i.loc.slice(1).join(".")).join(", ")}`,
          issues,
        );
      }
      const saved = await d.incidentActions.feedback(projectOf(req), principalOf(req), parsed.data);
      return reply.code(201).send(onCallReply("Feedback recorded", saved));
    },
  );

  app.get(
    "/api/v1/agent/prompts",
    { schema: { tags, summary: "The prompt templates in use, versioned by content hash" } },
    async () => {
      const items = d.agent.prompts();
      return onCallReply(`${items.length} prompt templates`, { items });
    },
  );
}
