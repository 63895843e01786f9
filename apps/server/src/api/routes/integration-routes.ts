import {
  AvailableIntegration,
  ConnectionTest,
  IntegrationKind,
  IntegrationLogEntry,
  IntegrationLogLevel,
  IntegrationMetrics,
  IntegrationName,
  IntegrationView,
  OnCallError,
} from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { projectOf, requireRole } from "../request-identity.js";

/** Seed 003's success envelope. */
export function ok<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), message: z.string(), data });
}

const errors = {
  400: OnCallError,
  401: OnCallError,
  403: OnCallError,
  404: OnCallError,
  409: OnCallError,
  502: OnCallError,
};
const Name = z.object({ name: IntegrationName });
const tags = ["integrations"];

/**
 * Seed 003 `/api/v1/integrations`: the project's integrations registry by name. Reading is open to every
 * role; testing and syncing need member; changing settings needs admin. Secrets are always masked.
 */
export function registerIntegrationRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const reg = d.integrations;

  app.get(
    "/api/v1/integrations",
    {
      schema: {
        tags,
        summary: "List the project's integrations (secrets masked)",
        response: { 200: ok(z.object({ integrations: z.array(IntegrationView), total: z.number().int() })), ...errors },
      },
    },
    async (req) => {
      const integrations = await reg.list(projectOf(req));
      return {
        success: true as const,
        message: `${integrations.length} integrations`,
        data: { integrations, total: integrations.length },
      };
    },
  );
  app.get(
    "/api/v1/integrations/available",
    {
      schema: {
        tags,
        summary: "Integration types that can be added, with their fields",
        response: { 200: ok(z.object({ available: z.array(AvailableIntegration) })), ...errors },
      },
    },
    async (req) => ({
      success: true as const,
      message: "available integrations",
      data: { available: await reg.available(projectOf(req)) },
    }),
  );
  app.get(
    "/api/v1/integrations/:name",
    {
      schema: { tags, summary: "Get an integration", params: Name, response: { 200: ok(IntegrationView), ...errors } },
    },
    async (req) => ({
      success: true as const,
      message: "integration",
      data: await reg.get(projectOf(req), req.params.name),
    }),
  );
  app.put(
    "/api/v1/integrations/:name/config",
    {
      schema: {
        tags,
        summary:
          "Create or update an integration's settings (admin); secret fields are encrypted, masked values keep the stored secret",
        params: Name,
        body: z.object({
          type: IntegrationKind.optional(),
          enabled: z.boolean().optional(),
          config: z.record(z.string(), z.unknown()).default({}),
        }),
        response: { 200: ok(IntegrationView), ...errors },
      },
    },
    async (req) => {
      requireRole(req, "admin");
      const view = await reg.configure(projectOf(req), req.params.name, req.body);
      return { success: true as const, message: `integration ${view.name} configured`, data: view };
    },
  );
  app.post(
    "/api/v1/integrations/:name/test",
    {
      schema: {
        tags,
        summary: "Really connect to the integration's system: latency and error",
        params: Name,
        response: { 200: ok(ConnectionTest), ...errors },
      },
    },
    async (req) => {
      requireRole(req, "member");
      const t = await reg.test(projectOf(req), req.params.name);
      return {
        success: true as const,
        message: t.success ? "connection ok" : `connection failed: ${t.error}`,
        data: t,
      };
    },
  );
  app.get(
    "/api/v1/integrations/:name/metrics",
    {
      schema: {
        tags,
        summary: "Deliveries sent and failed, latency and tests over a period, counted from the delivery log",
        params: Name,
        querystring: z.object({ period: z.string().default("1h") }),
        response: { 200: ok(IntegrationMetrics), ...errors },
      },
    },
    async (req) => ({
      success: true as const,
      message: `metrics over ${req.query.period}`,
      data: await reg.metrics(projectOf(req), req.params.name, req.query.period),
    }),
  );
  app.post(
    "/api/v1/integrations/:name/sync",
    {
      schema: {
        tags,
        summary: "Pull what the system holds (Prometheus and Grafana: active alerts); other kinds have nothing to sync",
        params: Name,
        response: {
          200: ok(
            z.object({
              name: z.string(),
              type: IntegrationKind,
              synced: z.boolean(),
              detail: z.string(),
              items: z.array(z.unknown()),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      requireRole(req, "member");
      const r = await reg.sync(projectOf(req), req.params.name);
      return { success: true as const, message: r.detail, data: r };
    },
  );
  app.get(
    "/api/v1/integrations/:name/logs",
    {
      schema: {
        tags,
        summary: "The integration's log: tests, deliveries, syncs, callbacks, newest first",
        params: Name,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          level: IntegrationLogLevel.optional(),
        }),
        response: { 200: ok(z.object({ logs: z.array(IntegrationLogEntry), total: z.number().int() })), ...errors },
      },
    },
    async (req) => {
      const logs = await reg.logs(projectOf(req), req.params.name, { limit: req.query.limit, level: req.query.level });
      return { success: true as const, message: `${logs.length} log entries`, data: { logs, total: logs.length } };
    },
  );
}
