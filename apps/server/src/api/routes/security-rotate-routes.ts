import { IntegrationKind, IntegrationName, OnCallError } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { projectOf, requireRole } from "../request-identity.js";
import { ok } from "./integration-routes.js";

const errors = { 400: OnCallError, 401: OnCallError, 403: OnCallError, 404: OnCallError };

/**
 * Seed 003 `POST /api/v1/security/rotate-api-key?service=`: `service` names an integration of the
 * project. Given values replace its secrets; a secret the product issues (webhook signing secret, Teams
 * callback key) is generated when not given and shown once; all its secrets are re-sealed under the
 * current key (after `AEGIS_SECRETS_KEY` changed, the former one in `AEGIS_SECRETS_PREVIOUS_KEYS`).
 */
export function registerSecurityRotateRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    "/api/v1/security/rotate-api-key",
    {
      schema: {
        tags: ["security"],
        summary: "Rotate an integration's secrets (admin)",
        querystring: z.object({ service: IntegrationName }),
        body: z.object({ secrets: z.record(z.string(), z.string().min(1)).default({}) }).nullish(),
        response: {
          200: ok(
            z.object({
              service: z.string(),
              integration_id: z.string(),
              type: IntegrationKind,
              rotated: z.array(z.string()),
              re_encrypted: z.array(z.string()),
              generated: z.record(z.string(), z.string()),
              key_id: z.string(),
              rotated_at: z.string(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      requireRole(req, "admin");
      const data = await d.integrations.rotate(projectOf(req), req.query.service, req.body?.secrets ?? {});
      const what = data.rotated.length > 0 ? `rotated ${data.rotated.join(", ")}` : "re-encrypted";
      return { success: true as const, message: `${req.query.service}: ${what}`, data };
    },
  );
}
