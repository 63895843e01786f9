import {
  CreateMaintenanceWindow,
  CreateSilence,
  ErrorBody,
  SilenceState,
  SilenceView,
  UpdateSilence,
} from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { principalOf, projectOf, requireRole } from "../request-identity.js";

const Errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody };
const Id = z.object({ id: z.string().min(1).max(100) });

/**
 * `/api/v1/silences` and `/api/v1/maintenance-windows`: Alertmanager-style matchers over a time
 * window. Anyone in the project reads them; member and above create, change and expire them.
 * DELETE expires (the record and its count of suppressed alerts stay).
 */
export function registerSilenceRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const kinds = [
    { path: "/api/v1/silences", kind: "silence" as const, create: CreateSilence, noun: "silence" },
    {
      path: "/api/v1/maintenance-windows",
      kind: "maintenance" as const,
      create: CreateMaintenanceWindow,
      noun: "maintenance window",
    },
  ];
  for (const { path, kind, create, noun } of kinds) {
    const tags = ["silences"];
    app.get(
      path,
      {
        schema: {
          tags,
          summary: `List ${noun}s (newest first), optionally by state`,
          querystring: z.object({ state: SilenceState.optional() }),
          response: { 200: z.array(SilenceView), ...Errors },
        },
      },
      (req) => d.silences.list(projectOf(req), kind, req.query.state),
    );
    app.post(
      path,
      {
        schema: {
          tags,
          summary: `Create a ${noun} (member and above): paging for matching alerts stops; their incidents are still recorded`,
          body: create,
          response: { 201: SilenceView, ...Errors },
        },
      },
      async (req, reply) => {
        requireRole(req, "member");
        return reply.code(201).send(await d.silences.create(projectOf(req), principalOf(req), kind, req.body));
      },
    );
    app.get(
      `${path}/:id`,
      { schema: { tags, summary: `One ${noun}`, params: Id, response: { 200: SilenceView, ...Errors } } },
      (req) => d.silences.get(projectOf(req), kind, req.params.id),
    );
    app.put(
      `${path}/:id`,
      {
        schema: {
          tags,
          summary: `Change a ${noun} (member and above)`,
          params: Id,
          body: UpdateSilence,
          response: { 200: SilenceView, ...Errors },
        },
      },
      (req) => {
        requireRole(req, "member");
        return d.silences.update(projectOf(req), kind, req.params.id, req.body);
      },
    );
    app.delete(
      `${path}/:id`,
      {
        schema: {
          tags,
          summary: `Expire a ${noun} now (member and above); the record stays`,
          params: Id,
          response: { 200: SilenceView, ...Errors },
        },
      },
      (req) => {
        requireRole(req, "member");
        return d.silences.expire(projectOf(req), kind, req.params.id);
      },
    );
  }
}
