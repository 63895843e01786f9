import {
  AlertmanagerPayload,
  AlertSourceName,
  AlertSourceView,
  ConfigureAlertSource,
  DetailError,
  ErrorBody,
  GrafanaPayload,
  ReceivedAlert,
} from "@aegis/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { groupNotification } from "../../ingest/source-notifications.js";
import { AuthError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { identityOf, projectOf, requireRole } from "../request-identity.js";
import { declareSeed } from "../seed-envelope.js";
import { sreRateLimit } from "./sre-rate-limit.js";

const Errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody };
const Accepted = z.object({
  status: z.literal("success"),
  incident_id: z.string().nullable(),
  created: z.boolean(),
  resolved: z.string().nullable(),
  alerts: z.number().int(),
});
const TokenParams = z.object({ token: z.string().min(8).max(200) });

/**
 * The intake token in the URL stands for the project (Alertmanager and Grafana post to a URL; the
 * auth hook lets `POST /api/v1/alert-sources/{source}/{token}` through to this check), before the body
 * is validated, so a stranger learns nothing about the wire format.
 */
export function tokenAuth(d: AppDeps, source: AlertSourceName) {
  return async (req: FastifyRequest) => {
    const token = (req.params as { token?: string }).token ?? "";
    const projectId = await d.alertIntake.projectOfToken(source, token);
    if (!projectId) throw new AuthError(`unknown ${source} intake token`);
    req.projectId = projectId;
    req.principal = { kind: "api_key", id: `alert-source:${source}`, displayName: source, role: "member" };
  };
}

/** Alert sources: their per-project intake URLs, Alertmanager's and Grafana's webhooks, and seed 002's alert list. */
export async function registerAlertSourceRoutes(fastify: FastifyInstance, d: AppDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ["alerts"];

  app.get(
    "/api/v1/alert-sources",
    {
      schema: {
        tags,
        summary: "The project's alert sources: intake URL (masked), counters, last delivery",
        response: { 200: z.array(AlertSourceView), ...Errors },
      },
    },
    (req) => d.alertIntake.sources(projectOf(req)),
  );

  app.put(
    "/api/v1/alert-sources/:source",
    {
      schema: {
        tags,
        summary: "Issue or rotate a source's intake token (shown once) and set PagerDuty's signing secret (admin)",
        params: z.object({ source: AlertSourceName }),
        body: ConfigureAlertSource,
        response: { 200: AlertSourceView, ...Errors },
      },
    },
    (req) => {
      requireRole(req, "admin");
      return d.alertIntake.configure(projectOf(req), req.params.source, req.body);
    },
  );

  app.post(
    "/api/v1/alert-sources/alertmanager/:token",
    {
      preValidation: tokenAuth(d, "alertmanager"),
      schema: {
        tags,
        summary: "Prometheus Alertmanager webhook (payload version 4): one incident per alert group",
        description:
          "Configure as a `webhook_configs` URL. A firing notification opens an incident, or joins the open one of its group (grouping and dedup); a resolved one resolves it. Silences and maintenance windows are noted on the timeline.",
        params: TokenParams,
        body: AlertmanagerPayload,
        response: { 200: Accepted, ...Errors },
      },
    },
    async (req) => ({
      status: "success" as const,
      ...(await d.alertIntake.receive(
        projectOf(req),
        "alertmanager",
        groupNotification(projectOf(req), "alertmanager", req.body),
      )),
    }),
  );

  app.post(
    "/api/v1/alert-sources/grafana/:token",
    {
      preValidation: tokenAuth(d, "grafana"),
      schema: {
        tags,
        summary: "Grafana alerting webhook contact point (unified alerting payload)",
        params: TokenParams,
        body: GrafanaPayload,
        response: { 200: Accepted, ...Errors },
      },
    },
    async (req) => ({
      status: "success" as const,
      ...(await d.alertIntake.receive(
        projectOf(req),
        "grafana",
        groupNotification(projectOf(req), "grafana", req.body),
      )),
    }),
  );

  await app.register(async (copilot) => {
    declareSeed(copilot, "002");
    const api = copilot.withTypeProvider<ZodTypeProvider>();
    api.get(
      "/api/v1/projects/:id/monitoring/alerts",
      {
        config: { rateLimit: sreRateLimit(d.config.AEGIS_SRE_PER_MINUTE) },
        schema: {
          tags,
          summary: "Alerts received for the project from every source, newest first",
          description:
            "Seed 002. `skip`/`limit` paginate (total in `X-Total-Count`); `status` (firing|resolved), `source`, `service`, `severity`, `alertname` filter.",
          params: z.object({ id: z.string().min(1) }),
          querystring: z.object({
            skip: z.coerce.number().int().min(0).default(0),
            limit: z.coerce.number().int().min(1).max(100).default(10),
            status: z.enum(["firing", "resolved"]).optional(),
            source: z.string().max(40).optional(),
            service: z.string().max(253).optional(),
            severity: z.string().max(40).optional(),
            alertname: z.string().max(500).optional(),
          }),
          response: { 200: z.array(ReceivedAlert), 401: DetailError, 404: DetailError, 422: DetailError },
        },
      },
      async (req, reply) => {
        // A project the caller is not in answers 404 (the project service decides).
        await d.accounts.projects.get(identityOf(req), req.params.id);
        const { skip, limit, ...filter } = req.query;
        const page = await d.alertIntake.alerts(req.params.id, filter, skip, limit);
        reply.header("x-total-count", String(page.total));
        return page.items;
      },
    );
  });
}
