import { ConnectionTest, DetailError, IntegrationKind, IntegrationName, IntegrationView } from "@aegis/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertRole } from "../../accounts/require-role.js";
import type { Role } from "../../ports/identity.js";
import type { AppDeps } from "../app-deps.js";
import { identityOf } from "../request-identity.js";
import { sreRateLimit } from "./sre-rate-limit.js";

const errors = { 401: DetailError, 403: DetailError, 404: DetailError, 409: DetailError, 422: DetailError };
const Project = z.object({ id: z.string().min(1) });
const One = z.object({ id: z.string().min(1), integration_id: z.string().min(1) });
const tags = ["monitoring"];

/**
 * Seed 002 `/projects/{id}/monitoring/integrations`: the same registry as seed 003's `/integrations`,
 * addressed by id within the path's project. Any member reads and tests; admins create, change, delete.
 * A project the caller is not in is 404.
 */
export function registerMonitoringIntegrationRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const sre = sreRateLimit(d.config.AEGIS_SRE_PER_MINUTE);
  const reg = d.integrations;
  /** The path's project after checking the caller's role in it. */
  const project = async (req: FastifyRequest, id: string, min: Role): Promise<string> => {
    const p = await d.accounts.projects.get(identityOf(req), id);
    assertRole(p.role, min);
    return p.id;
  };

  app.get(
    "/api/v1/projects/:id/monitoring/integrations",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "List a project's integrations",
        params: Project,
        response: { 200: z.array(IntegrationView), ...errors },
      },
    },
    async (req) => reg.list(await project(req, req.params.id, "viewer")),
  );
  app.post(
    "/api/v1/projects/:id/monitoring/integrations",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "Create an integration (admin); secret fields of config are encrypted and shown masked",
        params: Project,
        body: z.object({
          name: IntegrationName,
          type: IntegrationKind,
          config: z.record(z.string(), z.unknown()),
          enabled: z.boolean().default(true),
        }),
        response: { 201: IntegrationView, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await reg.create(await project(req, req.params.id, "admin"), req.body)),
  );
  // Static segment: registered as its own route, so it never reads as an `{integration_id}`.
  app.post(
    "/api/v1/projects/:id/monitoring/integrations/test-connection",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "Test settings before saving them (admin): really connects, reports latency and the error",
        params: Project,
        body: z.object({ type: IntegrationKind, config: z.record(z.string(), z.unknown()) }),
        response: { 200: ConnectionTest, ...errors },
      },
    },
    async (req) => {
      // Admin, as creating is: it makes the server call any URL given, which a member must not aim inward.
      await project(req, req.params.id, "admin");
      return reg.testConnection(req.body.type, req.body.config);
    },
  );
  app.get(
    "/api/v1/projects/:id/monitoring/integrations/:integration_id",
    {
      config: { rateLimit: sre },
      schema: { tags, summary: "Get an integration", params: One, response: { 200: IntegrationView, ...errors } },
    },
    async (req) => reg.getById(await project(req, req.params.id, "viewer"), req.params.integration_id),
  );
  app.patch(
    "/api/v1/projects/:id/monitoring/integrations/:integration_id",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary:
          "Update an integration (admin): given config fields are merged, null removes one, a masked value keeps the secret",
        params: One,
        body: z.object({
          name: IntegrationName.optional(),
          config: z.record(z.string(), z.unknown()).optional(),
          enabled: z.boolean().optional(),
        }),
        response: { 200: IntegrationView, ...errors },
      },
    },
    async (req) => reg.patch(await project(req, req.params.id, "admin"), req.params.integration_id, req.body),
  );
  app.delete(
    "/api/v1/projects/:id/monitoring/integrations/:integration_id",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "Delete an integration and its log (admin)",
        params: One,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await reg.delete(await project(req, req.params.id, "admin"), req.params.integration_id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    "/api/v1/projects/:id/monitoring/integrations/:integration_id/test",
    {
      config: { rateLimit: sre },
      schema: { tags, summary: "Test a saved integration", params: One, response: { 200: ConnectionTest, ...errors } },
    },
    async (req) => reg.testById(await project(req, req.params.id, "member"), req.params.integration_id),
  );
}
