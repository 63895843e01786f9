import { DetailError } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ApiKeyView } from "../../accounts/api-key-service.js";
import type { AppDeps } from "../app-deps.js";
import { identityOf } from "../request-identity.js";

const Role = z.enum(["owner", "admin", "member", "viewer"]);
const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: Role,
  created_by: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  created_at: z.string(),
});
const Id = z.object({ id: z.string().min(1) });
const Errors = { 401: DetailError, 403: DetailError, 404: DetailError, 422: DetailError };

const apiKey = (k: ApiKeyView) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  created_by: k.createdBy,
  expires_at: k.expiresAt?.toISOString() ?? null,
  revoked_at: k.revokedAt?.toISOString() ?? null,
  created_at: k.createdAt.toISOString(),
});

/** Product addition: per-project API keys (admin), shown once at creation, stored hashed, revocable. */
export function registerApiKeyRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const keys = d.accounts.apiKeys;
  const tags = ["api-keys"];

  app.get(
    "/api/v1/projects/:id/api-keys",
    {
      schema: {
        tags,
        summary: "List a project's API keys (admin)",
        params: Id,
        response: { 200: z.array(ApiKey), ...Errors },
      },
    },
    async (req) => (await keys.list(identityOf(req), req.params.id)).map(apiKey),
  );
  app.post(
    "/api/v1/projects/:id/api-keys",
    {
      schema: {
        tags,
        summary: "Create an API key (admin); the key is in this response only",
        params: Id,
        body: z.object({
          name: z.string().min(1).max(200),
          role: Role.default("member"),
          expires_at: z.iso.datetime({ offset: true }).nullish(),
        }),
        response: { 201: ApiKey.extend({ key: z.string() }), ...Errors },
      },
    },
    async (req, reply) => {
      const created = await keys.create(identityOf(req), req.params.id, {
        name: req.body.name,
        role: req.body.role,
        expiresAt: req.body.expires_at ? new Date(req.body.expires_at) : null,
      });
      return reply.code(201).send({ ...apiKey(created), key: created.key });
    },
  );
  app.delete(
    "/api/v1/projects/:id/api-keys/:key_id",
    {
      schema: {
        tags,
        summary: "Revoke an API key (admin)",
        params: z.object({ id: z.string().min(1), key_id: z.string().min(1) }),
        response: { 204: z.null(), ...Errors },
      },
    },
    async (req, reply) => {
      await keys.revoke(identityOf(req), req.params.id, req.params.key_id);
      return reply.code(204).send(null);
    },
  );
}
