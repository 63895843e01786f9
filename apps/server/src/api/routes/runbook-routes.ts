import {
  ErrorBody,
  KnowledgeBaseResponse,
  Runbook,
  RunbookId,
  RunbookInput,
  RunbookPage,
  RunbookSearchRequest,
  RunbookSearchResponse,
} from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { KnowledgeHit } from "../../knowledge/knowledge-search.js";
import type { RunbookLibrary } from "../../knowledge/runbooks/runbook-library.js";
import { ValidationError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { copilotRateLimits } from "../copilot-rate-limits.js";
import { projectOf } from "../request-identity.js";
import { copilotPaths, isExamplePath } from "./copilot-paths.js";

const errors = { 401: ErrorBody, 422: ErrorBody };
const idParams = z.object({ id: RunbookId });

/** A runbook as the library returns it. */
type StoredRunbook = Awaited<ReturnType<RunbookLibrary["get"]>>;

/** Seed 001 runbook corpus and search, and seed 003's knowledge-base search. */
export function registerRunbookRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    "/api/v1/runbooks",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Add a runbook (markdown) to the knowledge base",
        description:
          "Stored and searchable at once (lexically; its vector follows in the background when embeddings are configured). Without `id` one is generated; an id that exists is a 409 (PUT replaces).",
        body: RunbookInput,
        response: { 201: Runbook, 409: ErrorBody, ...errors },
      },
    },
    async (req, reply) => {
      const row = await d.runbooks.create(projectOf(req), req.body);
      return reply.code(201).send(wire(row));
    },
  );

  app.get(
    "/api/v1/runbooks",
    {
      schema: {
        tags: ["knowledge"],
        summary: "List runbooks in id order (seed 003 pagination)",
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          page_size: z.coerce.number().int().min(1).max(100).default(20),
          service: z.string().min(1).optional(),
        }),
        response: { 200: RunbookPage, ...errors },
      },
    },
    async (req) => {
      const { page, page_size, service } = req.query;
      const { rows, total } = await d.runbooks.list(projectOf(req), {
        offset: (page - 1) * page_size,
        limit: page_size,
        service,
      });
      return { items: rows.map(wire), total, page, page_size, has_next: page * page_size < total };
    },
  );

  app.get(
    "/api/v1/runbooks/:id",
    {
      schema: {
        tags: ["knowledge"],
        summary: "One runbook (ids with `/` are URL-encoded: `kubernetes%2FKubePodCrashLooping`)",
        params: idParams,
        response: { 200: Runbook, 404: ErrorBody, ...errors },
      },
    },
    async (req) => wire(await d.runbooks.get(projectOf(req), req.params.id)),
  );

  app.put(
    "/api/v1/runbooks/:id",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Create or replace a runbook",
        description: "201 when created, 200 when replaced. An `id` in the body must match the path.",
        params: idParams,
        body: RunbookInput,
        response: { 200: Runbook, 201: Runbook, ...errors },
      },
    },
    async (req, reply) => {
      if (req.body.id !== undefined && req.body.id !== req.params.id) {
        throw new ValidationError("body id does not match the path", [
          { loc: ["body", "id"], msg: `must equal the path id "${req.params.id}" or be omitted`, type: "value_error" },
        ]);
      }
      const { runbook, created } = await d.runbooks.put(projectOf(req), req.params.id, req.body);
      return reply.code(created ? 201 : 200).send(wire(runbook));
    },
  );

  app.delete(
    "/api/v1/runbooks/:id",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Delete a runbook",
        params: idParams,
        response: { 204: z.null(), 404: ErrorBody, ...errors },
      },
    },
    async (req, reply) => {
      await d.runbooks.delete(projectOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  // Seed 001's search: its error envelope and its "other endpoints" hourly budget, with the rate-limit headers.
  const copilot = copilotRateLimits(d.config.AEGIS_COPILOT_ANALYZE_PER_HOUR, d.config.AEGIS_COPILOT_PER_HOUR);
  for (const url of copilotPaths("/api/v1/runbooks/search"))
    app.post(
      url,
      {
        config: { seed: "001", rateLimit: copilot.other },
        schema: {
          hide: isExamplePath(url),
          tags: ["knowledge"],
          summary: "Search the runbooks (seed 001)",
          description:
            "BM25F with ops-vocabulary expansion, fused with vector similarity (reciprocal rank fusion) when an embedding provider is configured. `score` is calibrated (0.5 = the good-match cut); `no_good_match: true` means no result should be presented as the answer.",
          body: RunbookSearchRequest,
          response: { 200: RunbookSearchResponse, ...errors },
        },
      },
      async (req) => {
        const r = await d.runbooks.search(projectOf(req), {
          query: req.body.query,
          service: req.body.service,
          topK: req.body.top_k,
        });
        return {
          results: r.hits.map((h) => ({
            id: h.runbook.id,
            title: h.runbook.title,
            score: h.score,
            service: h.runbook.service,
            excerpt: h.excerpt,
            url: h.runbook.url,
            last_updated: h.runbook.updatedAt.toISOString(),
            confidence: h.confidence,
            tags: h.runbook.tags,
            matched_terms: h.matchedTerms,
            retrieved_by: h.retrievedBy,
          })),
          total_results: r.hits.length,
          query_time_ms: r.tookMs,
          no_good_match: r.noGoodMatch,
          retrieval: { mode: r.mode, embedding_model: r.embeddingModel, vector_error: r.vectorError },
        };
      },
    );

  app.get(
    "/api/v1/agent/knowledge-base",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Search the knowledge base: runbooks and learned incidents (seed 003)",
        description:
          "With `query`: runbooks and past incidents ranked on one calibrated scale (incidents whose fix worked first). Without: the first runbooks and the latest learned incidents.",
        querystring: z.object({
          query: z.string().trim().min(1).max(20_000).optional(),
          limit: z.coerce.number().int().min(1).max(50).default(10),
        }),
        response: { 200: KnowledgeBaseResponse, ...errors },
      },
    },
    async (req) => {
      const { query, limit } = req.query;
      const r = await d.knowledgeSearch.search(projectOf(req), query, limit);
      return {
        success: true as const,
        message: message(query, r.items.length, r.noGoodMatch),
        data: {
          query: query ?? null,
          items: r.items.map(wireItem),
          total: r.items.length,
          no_good_match: r.noGoodMatch,
          query_time_ms: r.tookMs,
        },
      };
    },
  );
}

function message(query: string | undefined, n: number, noGoodMatch: boolean): string {
  if (query === undefined) return `${n} knowledge items`;
  if (n === 0) return "The knowledge base is empty for this query.";
  return noGoodMatch ? "No good match in the knowledge base; closest items listed." : `${n} matching items`;
}

function wire(r: StoredRunbook): Runbook {
  return {
    id: r.id,
    title: r.title,
    service: r.service,
    body: r.body,
    url: r.url,
    tags: r.tags,
    created_at: r.createdAt.toISOString(),
    last_updated: r.updatedAt.toISOString(),
  };
}

function wireItem(h: KnowledgeHit) {
  return {
    kind: h.kind,
    id: h.id,
    title: h.title,
    score: h.score,
    confidence: h.confidence,
    service: h.service,
    excerpt: h.excerpt,
    url: h.url,
    last_updated: h.lastUpdated,
    action: h.action,
    outcome: h.outcome,
  };
}
