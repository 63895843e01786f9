import { AlertSourceView, PagerDutyWebhook } from "@aegis/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { signPagerDuty, verifyPagerDutySignature } from "../../ingest/pagerduty-signature.js";
import { pagerDutyNotification } from "../../ingest/source-notifications.js";
import { AuthError, InputError, ValidationError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { projectOf, requireRole } from "../request-identity.js";
import { declareSeed } from "../seed-envelope.js";
import { tokenAuth } from "./alert-source-routes.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The body as received (PagerDuty signs the exact bytes). */
    rawBody?: string;
  }
}

// Errors are written in seed 003's envelope by the one error handler (no response schema to fight it).
const Errors = {};
const ok = <T extends z.ZodTypeAny>(data: T) => z.object({ success: z.literal(true), message: z.string(), data });
const Received = z.object({
  event_id: z.string(),
  event_type: z.string(),
  action: z.enum(["accepted", "duplicate", "resolved", "acknowledged", "recorded"]),
  incident_id: z.string().nullable(),
});
const Status = AlertSourceView.extend({ webhook_url: z.string() });
const TestBody = z
  .object({
    /** A body and the X-PagerDuty-Signature PagerDuty sent with it: checked against the stored secret. */
    payload: z.string().max(1_000_000).optional(),
    signature: z.string().max(2000).optional(),
  })
  // The seed's call has no body at all: then only the stored secret is tested.
  .nullish();

/**
 * Seed 003's PagerDuty webhook (`/webhook/pagerduty`, its `{success, message, data}` envelope): v3
 * events, verified with the project's signing secret (`X-PagerDuty-Signature: v1=<hex HMAC-SHA256>`,
 * several during a rotation). The project is the caller's (an `X-API-Key` custom header on the
 * PagerDuty subscription) or the one of the intake token in `/api/v1/alert-sources/pagerduty/{token}`.
 */
export async function registerPagerDutyWebhookRoutes(fastify: FastifyInstance, d: AppDeps): Promise<void> {
  await fastify.register(async (scope) => {
    declareSeed(scope, "003");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
      req.rawBody = body as string;
      if (!body) return done(null, undefined);
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new InputError("body: not valid JSON", "invalid_json"), undefined);
      }
    });
    const app = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ["webhooks"];

    const receive = async (req: FastifyRequest) => {
      const projectId = projectOf(req);
      const secret = await d.alertIntake.signingSecret(projectId, "pagerduty");
      const header = req.headers["x-pagerduty-signature"];
      if (!secret) {
        await d.alertIntake.refused(projectId, "pagerduty", "no signing secret configured");
        throw new AuthError(
          "no PagerDuty signing secret configured for this project: PUT /api/v1/alert-sources/pagerduty {signing_secret}",
        );
      }
      if (!verifyPagerDutySignature(typeof header === "string" ? header : undefined, req.rawBody ?? "", secret)) {
        await d.alertIntake.refused(projectId, "pagerduty", "invalid X-PagerDuty-Signature");
        throw new AuthError("X-PagerDuty-Signature does not match the body (HMAC-SHA256 with the signing secret)");
      }
      const parsed = PagerDutyWebhook.safeParse(req.body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({
          loc: ["body", ...i.path.map(String)],
          msg: i.message,
          type: i.code,
        }));
        await d.alertIntake.refused(projectId, "pagerduty", `invalid event: ${issues[0]?.loc.join(".")}`);
        throw new ValidationError(`invalid PagerDuty event: ${issues[0]?.loc.join(".")}: ${issues[0]?.msg}`, issues);
      }
      const e = parsed.data.event;
      const n = pagerDutyNotification(projectId, parsed.data);
      const r = await d.alertIntake.receive(projectId, "pagerduty", n, e.event_type);
      const action = n.incident
        ? r.created
          ? "accepted"
          : "duplicate"
        : r.resolved
          ? "resolved"
          : r.acknowledged
            ? "acknowledged"
            : "recorded";
      return {
        success: true as const,
        message: `PagerDuty ${e.event_type} ${action}`,
        data: {
          event_id: e.id,
          event_type: e.event_type,
          action: action as z.infer<typeof Received>["action"],
          incident_id: r.incident_id,
        },
      };
    };
    const description =
      "A PagerDuty v3 webhook event. `incident.triggered`/`reopened` opens an incident or joins the open one for the same PagerDuty incident; `acknowledged` and `resolved` move its lifecycle, attributed to PagerDuty; other events are recorded. Refused (401) unless X-PagerDuty-Signature verifies with the project's signing secret.";

    app.post(
      "/webhook/pagerduty",
      {
        schema: {
          tags,
          summary: "PagerDuty webhook receiver",
          description,
          response: { 200: ok(Received), ...Errors },
        },
      },
      receive,
    );
    app.post(
      "/api/v1/alert-sources/pagerduty/:token",
      {
        preValidation: tokenAuth(d, "pagerduty"),
        schema: {
          tags,
          summary: "PagerDuty webhook receiver at the project's intake URL",
          description,
          params: z.object({ token: z.string().min(8).max(200) }),
          response: { 200: ok(Received), ...Errors },
        },
      },
      receive,
    );

    app.get(
      "/webhook/pagerduty/status",
      {
        schema: {
          tags,
          summary: "Webhook processing status: configured, events received and refused, last event",
          response: { 200: ok(Status), ...Errors },
        },
      },
      async (req) => {
        const view = await d.alertIntake.source(projectOf(req), "pagerduty");
        const ready = view.signing_secret_configured;
        return {
          success: true as const,
          message: ready
            ? `${view.received} events processed, ${view.rejected} refused`
            : "not configured: set a signing secret with PUT /api/v1/alert-sources/pagerduty",
          data: { ...view, webhook_url: "/webhook/pagerduty" },
        };
      },
    );

    app.post(
      "/webhook/pagerduty/test",
      {
        schema: {
          tags,
          summary: "Test the webhook configuration: the signing secret, and optionally a delivery PagerDuty made",
          body: TestBody,
          response: {
            200: ok(
              z.object({
                signing_secret_configured: z.boolean(),
                self_test: z.boolean(),
                delivery_signature_valid: z.boolean().nullable(),
                delivery_parsed: z.boolean().nullable(),
              }),
            ),
            ...Errors,
          },
        },
      },
      async (req) => {
        requireRole(req, "member");
        const secret = await d.alertIntake.signingSecret(projectOf(req), "pagerduty");
        const body = req.body ?? {};
        if (!secret) {
          return {
            success: true as const,
            message: "no signing secret configured: PUT /api/v1/alert-sources/pagerduty {signing_secret}",
            data: {
              signing_secret_configured: false,
              self_test: false,
              delivery_signature_valid: null,
              delivery_parsed: null,
            },
          };
        }
        const ping = JSON.stringify({
          event: {
            id: "test",
            event_type: "pagey.ping",
            resource_type: "pagey",
            occurred_at: new Date().toISOString(),
            data: { id: "test" },
          },
        });
        const selfTest = verifyPagerDutySignature(signPagerDuty(ping, secret), ping, secret);
        let valid: boolean | null = null;
        let parsed: boolean | null = null;
        if (body.payload !== undefined) {
          if (!body.signature) throw new InputError("signature: required with payload", "bad_request");
          valid = verifyPagerDutySignature(body.signature, body.payload, secret);
          try {
            parsed = PagerDutyWebhook.safeParse(JSON.parse(body.payload)).success;
          } catch {
            parsed = false;
          }
        }
        const message =
          valid === false
            ? "the delivery's signature does not match the stored signing secret"
            : valid
              ? "the delivery's signature matches the stored signing secret"
              : "signing secret configured";
        return {
          success: true as const,
          message,
          data: {
            signing_secret_configured: true,
            self_test: selfTest,
            delivery_signature_valid: valid,
            delivery_parsed: parsed,
          },
        };
      },
    );
  });
}
