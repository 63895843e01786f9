import { DetailError } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { MemberView, ProjectView } from "../../accounts/project-service.js";
import type { AppDeps } from "../app-deps.js";
import { identityOf } from "../request-identity.js";
import { sreRateLimit } from "./sre-rate-limit.js";

const Role = z.enum(["owner", "admin", "member", "viewer"]);
const Project = z.object({
  id: z.string(),
  name: z.string(),
  tenant_id: z.string().nullable(),
  role: Role,
  created_at: z.string(),
});
const Member = z.object({
  user_id: z.string(),
  email: z.string(),
  full_name: z.string(),
  role: Role,
  created_at: z.string(),
});
const Id = z.object({ id: z.string().min(1) });
const MemberId = z.object({ id: z.string().min(1), user_id: z.string().min(1) });
const Errors = { 401: DetailError, 403: DetailError, 404: DetailError, 409: DetailError, 422: DetailError };

const project = (p: ProjectView) => ({
  id: p.id,
  name: p.name,
  tenant_id: p.tenantId,
  role: p.role,
  created_at: p.createdAt.toISOString(),
});
const member = (m: MemberView) => ({
  user_id: m.userId,
  email: m.email,
  full_name: m.fullName,
  role: m.role,
  created_at: m.createdAt.toISOString(),
});

/**
 * Seed 002 /projects and /projects/{id}/members. Owner renames and deletes a project; admin manages
 * members. A project the caller is not in answers 404, whichever tenant it belongs to.
 */
export function registerProjectRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const sre = sreRateLimit(d.config.AEGIS_SRE_PER_MINUTE);
  const projects = d.accounts.projects;
  const tags = ["projects"];

  app.get(
    "/api/v1/projects",
    {
      config: { rateLimit: sre },
      schema: { tags, summary: "List the caller's projects", response: { 200: z.array(Project), ...Errors } },
    },
    async (req) => (await projects.list(identityOf(req))).map(project),
  );
  app.post(
    "/api/v1/projects",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "Create a project in the user's tenant (the creator owns it)",
        body: z.object({ name: z.string().min(1).max(200) }),
        response: { 201: Project, ...Errors },
      },
    },
    async (req, reply) => reply.code(201).send(project(await projects.create(identityOf(req), req.body.name))),
  );
  app.get(
    "/api/v1/projects/:id",
    {
      config: { rateLimit: sre },
      schema: { tags, summary: "Get a project", params: Id, response: { 200: Project, ...Errors } },
    },
    async (req) => project(await projects.get(identityOf(req), req.params.id)),
  );
  app.patch(
    "/api/v1/projects/:id",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "Rename a project (owner)",
        params: Id,
        body: z.object({ name: z.string().min(1).max(200) }),
        response: { 200: Project, ...Errors },
      },
    },
    async (req) => project(await projects.rename(identityOf(req), req.params.id, req.body.name)),
  );
  app.delete(
    "/api/v1/projects/:id",
    {
      config: { rateLimit: sre },
      schema: { tags, summary: "Delete a project (owner)", params: Id, response: { 204: z.null(), ...Errors } },
    },
    async (req, reply) => {
      await projects.delete(identityOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/projects/:id/members",
    {
      config: { rateLimit: sre },
      schema: { tags, summary: "List a project's members", params: Id, response: { 200: z.array(Member), ...Errors } },
    },
    async (req) => (await projects.members(identityOf(req), req.params.id)).map(member),
  );
  app.post(
    "/api/v1/projects/:id/members",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary:
          "Add a user of the tenant (admin; only an owner grants owner); a new email with a password creates the user",
        params: Id,
        body: z.object({
          email: z.email().max(320),
          role: Role,
          full_name: z.string().min(1).max(200).optional(),
          password: z.string().min(8).max(1024).optional(),
        }),
        response: { 201: Member, ...Errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        member(
          await projects.addMember(identityOf(req), req.params.id, {
            email: req.body.email,
            role: req.body.role,
            fullName: req.body.full_name,
            password: req.body.password,
          }),
        ),
      ),
  );
  app.patch(
    "/api/v1/projects/:id/members/:user_id",
    {
      config: { rateLimit: sre },
      schema: {
        tags,
        summary: "Change a member's role (admin; only an owner changes an owner)",
        params: MemberId,
        body: z.object({ role: Role }),
        response: { 200: Member, ...Errors },
      },
    },
    async (req) => member(await projects.setRole(identityOf(req), req.params.id, req.params.user_id, req.body.role)),
  );
  app.delete(
    "/api/v1/projects/:id/members/:user_id",
    {
      config: { rateLimit: sre },
      schema: { tags, summary: "Remove a member (admin)", params: MemberId, response: { 204: z.null(), ...Errors } },
    },
    async (req, reply) => {
      await projects.removeMember(identityOf(req), req.params.id, req.params.user_id);
      return reply.code(204).send(null);
    },
  );
}
