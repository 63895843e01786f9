import {
  AnalyzeRequest,
  AnalyzeResponse,
  CopilotError,
  CostSummary,
  ErrorBody,
  Hypothesis,
  TokenUsage,
} from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { InputError, NotFoundError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import type { RouteRateLimit } from "../copilot-rate-limits.js";
import { projectOf } from "../request-identity.js";
import { copilotPaths, isExamplePath } from "./copilot-paths.js";
import { sreRateLimit } from "./sre-rate-limit.js";

const DAY_MS = 86_400_000;
const dateParam = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "must be a date (YYYY-MM-DD) or an ISO 8601 instant")
  .optional();

/**
 * Seed 001 `POST /api/v1/analyze`, seed 002 hypotheses and analytics (`token-usage`, `cost-summary`).
 * The analyze route is seed 001's: its errors come in that seed's envelope, within its own hourly budget.
 */
export function registerAnalysisRoutes(fastify: FastifyInstance, d: AppDeps, analyzeLimit: RouteRateLimit): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const sre = sreRateLimit(d.config.AEGIS_SRE_PER_MINUTE);
  const engine = d.analysis;

  for (const url of copilotPaths("/api/v1/analyze"))
    app.post(
      url,
      {
        schema: {
          hide: isExamplePath(url),
          tags: ["analysis"],
          summary: "Analyse an incident description: hypothesis, next actions, commands, citations, related incidents",
          description:
            "Runs the configured provider chain (AEGIS_LLM_CHAIN) with investigation tools. Identical signatures within AEGIS_ANALYSIS_CACHE_SECS are answered from the cache (`metadata.cache_hit`). Past AEGIS_ANALYZE_TIMEOUT_SECS the answer is a 504 with `partial_results`.",
          body: AnalyzeRequest,
          response: {
            200: AnalyzeResponse,
            400: CopilotError,
            401: CopilotError,
            429: CopilotError,
            504: CopilotError,
          },
        },
        config: { seed: "001", rateLimit: analyzeLimit, explainInvalid: describeLength },
      },
      (req) => {
        const project = projectOf(req);
        // An INC-<n> the project knows is that incident: its hypotheses go under the incident's own id.
        const incidentIdOf = (ref: string) =>
          d.incidentResource.idOf(project, ref).catch((e: unknown) => {
            if (e instanceof NotFoundError) return null;
            throw e;
          });
        return engine.copilot.analyze(req.body, project, incidentIdOf);
      },
    );

  app.get(
    "/api/v1/incidents/:incident_id/hypotheses",
    {
      config: { rateLimit: sre, seed: "002" },
      schema: {
        tags: ["analysis"],
        summary: "Ranked hypotheses of an incident's diagnosis (seed 002)",
        params: z.object({ incident_id: z.string().min(1) }),
        response: { 200: z.array(Hypothesis), 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const project = projectOf(req);
      const id = req.params.incident_id;
      const list = await engine.hypotheses(project, id);
      // Hypotheses of an API analysis may exist without an incident; otherwise the incident must
      // exist, named by its id or its INC-<n> reference.
      if (list.length > 0) return list;
      const own = await d.incidentResource.idOf(project, id);
      return own === id ? list : engine.hypotheses(project, own);
    },
  );

  app.get(
    "/api/v1/analytics/token-usage",
    {
      config: { rateLimit: sre, seed: "002" },
      schema: {
        tags: ["analytics"],
        summary: "Model token usage and cost by request type, day and provider (seed 002)",
        querystring: z.object({ start_date: dateParam, end_date: dateParam }),
        response: { 200: TokenUsage, 401: ErrorBody, 422: ErrorBody },
      },
    },
    (req) => {
      const now = new Date();
      const to = req.query.end_date ? endOf(req.query.end_date) : now;
      const from = req.query.start_date ? new Date(req.query.start_date) : new Date(to.getTime() - 7 * DAY_MS);
      if (from >= to) throw new InputError("start_date must be before end_date");
      return engine.tokenUsage(projectOf(req), from, to);
    },
  );

  app.get(
    "/api/v1/analytics/cost-summary",
    {
      config: { rateLimit: sre, seed: "002" },
      schema: {
        tags: ["analytics"],
        summary: "Model cost, cache effect, most expensive incidents and recommendations (seed 002)",
        querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(7) }),
        response: { 200: CostSummary, 401: ErrorBody, 422: ErrorBody },
      },
    },
    (req) => engine.costSummary(projectOf(req), req.query.days),
  );
}

/** A date-only end is inclusive: the whole day counts. */
function endOf(s: string): Date {
  const d = new Date(s);
  return /^\d{4}-\d\d-\d\d$/.test(s) ? new Date(d.getTime() + DAY_MS) : d;
}

/** Seed 001 documents this wording for any problem with the description (missing, too short, too long). */
function describeLength(field: string, body: unknown) {
  const value = (body as Record<string, unknown> | null | undefined)?.incident_description;
  if (field !== "incident_description" && typeof value === "string") return undefined;
  return {
    message: "incident_description must be between 10 and 5000 characters",
    details: { field: "incident_description", provided_length: typeof value === "string" ? value.length : 0 },
  };
}
