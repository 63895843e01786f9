import { CopilotError } from "@aegis/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { WEBHOOK_EVENTS } from "../../integrations/webhook-events.js";
import { ForbiddenError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import type { RouteRateLimit } from "../copilot-rate-limits.js";
import { principalOf, projectOf } from "../request-identity.js";
import { copilotPaths, isExamplePath } from "./copilot-paths.js";

const WebhookRequest = z.object({
  url: z.url({ protocol: /^https?$/ }),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
  // Long enough that the signature cannot be forged by guessing the key.
  secret: z.string().min(16).max(256),
});

const Webhook = z.object({ id: z.string(), url: z.string(), events: z.array(z.string()), created_at: z.string() });

const Delivery = z.object({
  id: z.string(),
  webhook_id: z.string(),
  event: z.string(),
  status: z.string(),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
});

const idParams = z.object({ id: z.string().min(1) });

/** A webhook sends the project's incidents to any URL it names: only owners and admins manage them. */
function managedBy(req: FastifyRequest): string {
  const role = principalOf(req).role;
  if (role !== "owner" && role !== "admin") throw new ForbiddenError(`role ${role} may not manage webhooks`);
  return projectOf(req);
}
const errors = { 400: CopilotError, 401: CopilotError, 429: CopilotError };

const SIGNING =
  'Each delivery is a POST of `{event, timestamp, data}` with `X-Signature-Timestamp: <unix seconds>` and `X-Signature-256: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`, plus `X-Webhook-Id`, `X-Delivery-Id` and `X-Event`. Verify in constant time and refuse timestamps more than 5 minutes away (replay). A non-2xx answer or no answer is retried with exponential backoff (AEGIS_WEBHOOK_BACKOFF_MS doubling, AEGIS_WEBHOOK_MAX_ATTEMPTS in all); every attempt is in the delivery log.';

/** Seed 001 `POST /api/v1/webhooks` (outbound incident notifications), with list, delete and the delivery log. */
export function registerOutboundWebhookRoutes(fastify: FastifyInstance, d: AppDeps, rateLimit: RouteRateLimit): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  for (const url of copilotPaths("/api/v1/webhooks"))
    app.post(
      url,
      {
        config: { rateLimit },
        schema: {
          hide: isExamplePath(url),
          tags: ["webhooks"],
          summary: "Register a webhook for incident events (owner or admin)",
          description: `Events: ${WEBHOOK_EVENTS.join(", ")}. ${SIGNING}`,
          body: WebhookRequest,
          response: { 201: Webhook, 403: CopilotError, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await d.webhooks.register(managedBy(req), req.body)),
    );

  app.get(
    "/api/v1/webhooks",
    {
      config: { rateLimit },
      schema: {
        tags: ["webhooks"],
        summary: "The project's webhooks (secrets are never shown)",
        response: { 200: z.object({ webhooks: z.array(Webhook) }), ...errors },
      },
    },
    async (req) => ({ webhooks: await d.webhooks.list(projectOf(req)) }),
  );

  app.delete(
    "/api/v1/webhooks/:id",
    {
      config: { rateLimit },
      schema: {
        tags: ["webhooks"],
        summary: "Remove a webhook and its delivery log (owner or admin)",
        params: idParams,
        response: { 204: z.null(), 403: CopilotError, 404: CopilotError, ...errors },
      },
    },
    async (req, reply) => {
      await d.webhooks.delete(managedBy(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/webhooks/:id/deliveries",
    {
      config: { rateLimit },
      schema: {
        tags: ["webhooks"],
        summary: "Delivery log of a webhook, newest first",
        params: idParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.object({ deliveries: z.array(Delivery) }), 404: CopilotError, ...errors },
      },
    },
    async (req) => ({ deliveries: await d.webhooks.deliveries(projectOf(req), req.params.id, req.query.limit) }),
  );
}
