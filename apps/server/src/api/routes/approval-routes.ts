import { ErrorBody, IncidentResult } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { approvalOf } from "../../engine/seed000-wire.js";
import type { AppDeps } from "../app-deps.js";
import { principalOf, projectOf, requireRole } from "../request-identity.js";

const Decision = z
  .object({ note: z.string().max(2000).optional(), by: z.string().min(1).max(200).optional() })
  .nullish();

/** A human decides proposals the council sent for review (NEEDS_REVIEW → AWAITING_APPROVAL); viewers may not. */
export function registerApprovalRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const expiryMs = d.config.AEGIS_APPROVAL_EXPIRY_SECS * 1000;
  /** The product's own states (`/api/v1`), with the approval spelled out. */
  const withApproval = (r: IncidentResult): IncidentResult => ({
    ...r,
    approval: approvalOf(r.incident_id, r.timeline, expiryMs),
  });
  const schema = (summary: string) => ({
    tags: ["incidents"],
    summary,
    params: z.object({ id: z.string().min(1) }),
    body: Decision,
    response: { 200: IncidentResult, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
  });
  app.post(
    "/api/v1/incidents/:id/approve",
    { schema: schema("Approve an incident awaiting human approval") },
    async (req) => {
      requireRole(req, "member");
      const by = req.body?.by ?? principalOf(req).id;
      return withApproval(await d.incidents.approve(projectOf(req), req.params.id, by, req.body?.note));
    },
  );
  app.post(
    "/api/v1/incidents/:id/reject",
    { schema: schema("Reject an incident awaiting human approval") },
    async (req) => {
      requireRole(req, "member");
      const by = req.body?.by ?? principalOf(req).id;
      return withApproval(await d.incidents.reject(projectOf(req), req.params.id, by, req.body?.note));
    },
  );
}
