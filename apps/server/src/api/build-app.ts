import { randomBytes } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { type FastifyError, type FastifyInstance, LogController } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { registerMcpRoutes } from "../mcp/mcp-routes.js";
import { accessLogRecorder } from "./access-log-recorder.js";
import { type AnsweredListener, answeredOf } from "./answered-request.js";
import type { AppDeps } from "./app-deps.js";
import { auditRecorder } from "./audit-recorder.js";
import { installAuth } from "./auth.js";
import { ConnectionLimiter } from "./connection-limiter.js";
import { copilotRateLimits } from "./copilot-rate-limits.js";
import { installCors } from "./cors.js";
import { DownloadSigner } from "./download-signer.js";
import { ERROR_TYPE, errorAnswer, installErrorHandler } from "./error-handler.js";
import { monitorRateLimits } from "./monitor-rate-limits.js";
import { limitOnCallRoutes } from "./oncall-rate-limits.js";
import { installRateLimits, isWebhookIntake, limitWebhookSources } from "./rate-limits.js";
import { requestIds } from "./request-ids.js";
import { registerAgentRoutes } from "./routes/agent-routes.js";
import { registerAlertSourceRoutes } from "./routes/alert-source-routes.js";
import { registerAnalysisRoutes } from "./routes/analysis-routes.js";
import { registerAnalyticsRoutes } from "./routes/analytics-routes.js";
import { registerApiHealthRoutes } from "./routes/api-health-routes.js";
import { registerApiKeyRoutes } from "./routes/api-key-routes.js";
import { registerApprovalRoutes } from "./routes/approval-routes.js";
import { registerAuthRoutes } from "./routes/auth-routes.js";
import { registerChatCallbackRoutes } from "./routes/chat-callback-routes.js";
import { registerCockpitRoutes } from "./routes/cockpit-routes.js";
import { registerCoreRoutes } from "./routes/core-routes.js";
import { registerDashboardRoutes } from "./routes/dashboard-routes.js";
import { registerDocsRoutes } from "./routes/docs-routes.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerIncidentActionRoutes } from "./routes/incident-action-routes.js";
import { registerIncidentRoutes } from "./routes/incident-routes.js";
import { registerIntegrationRoutes } from "./routes/integration-routes.js";
import { registerMonitorAdminRoutes } from "./routes/monitor-admin-routes.js";
import { registerMonitorHistoryRoutes } from "./routes/monitor-history-routes.js";
import { registerMonitorRoutes } from "./routes/monitor-routes.js";
import { registerMonitoringIntegrationRoutes } from "./routes/monitoring-integration-routes.js";
import { registerMonitoringRoutes } from "./routes/monitoring-routes.js";
import { registerMonitoringStreamRoutes } from "./routes/monitoring-stream-routes.js";
import { registerOnCallRoutes } from "./routes/oncall-routes.js";
import { registerOutboundWebhookRoutes } from "./routes/outbound-webhook-routes.js";
import { registerPagerDutyWebhookRoutes } from "./routes/pagerduty-webhook-routes.js";
import { registerProjectRoutes } from "./routes/project-routes.js";
import { registerRunbookRoutes } from "./routes/runbook-routes.js";
import { registerSecurityRotateRoutes } from "./routes/security-rotate-routes.js";
import { registerSecurityRoutes } from "./routes/security-routes.js";
import { registerSettingsRoutes } from "./routes/settings-routes.js";
import { registerSilenceRoutes } from "./routes/silence-routes.js";
import { registerTicketRoutes } from "./routes/ticket-routes.js";
import { WEBHOOK_ANSWER_TYPE, webhookAnswer, webhookRetryAfter } from "./routes/webhook-answer.js";
import { webhookAuditBody } from "./routes/webhook-audit-body.js";
import { declareSeed } from "./seed-envelope.js";
import { installSignedDownloads } from "./signed-download-hook.js";
import { webhookFastServer } from "./webhook-fast-handler.js";
import { WsHub } from "./ws-hub.js";

/** Webhook bodies above this are refused with a 422 naming the body (logs up to 1 MB fit). */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** The Fastify application: routes, auth, docs, WebSocket; listening is the caller's business. */
export async function buildApp(d: AppDeps): Promise<{ app: FastifyInstance; hub: WsHub }> {
  const apiLogger = d.logger.child({ component: "api" });
  const nextRequestId = requestIds();
  // Every answered request is recorded by these, in this order, whichever handler answered it.
  const answered: AnsweredListener[] = [];
  if (d.security) {
    answered.push(accessLogRecorder(d.security), auditRecorder(d.security.audit, d.security.operatorProjectId));
  }
  if (d.monitoring) {
    const requests = d.monitoring.requests;
    answered.push((a) => requests.record(a.status, a.latencyMs));
  }
  const expiryMs = d.config.AEGIS_APPROVAL_EXPIRY_SECS * 1000;
  // The plain `/webhook` handler (ADR 0025, eighth round); not with CORS, whose headers are Fastify's plugin's.
  const plainWebhook = d.config.AEGIS_WEBHOOK_FAST_PATH && d.config.AEGIS_CORS_ORIGINS.length === 0;
  let closing = false;
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    logger: false,
    // The access log is the product's own (`access-log-recorder.ts`); Fastify logs no requests.
    logController: new LogController({ disableRequestLogging: true }),
    // Shutdown must not wait for idle keep-alive or half-open upgrade connections.
    forceCloseConnections: true,
    genReqId: nextRequestId,
    ...(plainWebhook
      ? {
          serverFactory: webhookFastServer({
            authenticate: (key) => d.authenticator.authenticate(key),
            receive: (projectId, payload) => d.incidents.receive(projectId, payload),
            answer: (incident) => webhookAnswer(incident, expiryMs),
            answerType: WEBHOOK_ANSWER_TYPE,
            retryAfter: webhookRetryAfter,
            fail: (err, requestId, body) =>
              errorAnswer(err as FastifyError, apiLogger, BODY_LIMIT_BYTES, {
                seed: "000",
                requestId,
                url: "/webhook",
                config: undefined,
                body,
              }),
            errorType: ERROR_TYPE,
            auditBody: webhookAuditBody,
            answered,
            nextRequestId,
            bodyLimit: BODY_LIMIT_BYTES,
            closing: () => closing,
            recordFailed: (err) => apiLogger.error({ err, url: "/webhook" }, "recording an answered request failed"),
          }),
        }
      : {}),
  });
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app, apiLogger);
  // Before auth: a listed origin's preflight is answered unauthenticated, and its error answers carry CORS headers.
  await installCors(app, d.config.AEGIS_CORS_ORIGINS);
  // Registered (awaited) before the auth hook, so its cookie parsing runs first and auth can read `access_token`.
  await app.register(fastifyCookie);
  // Without a server-wide signer (route tests), links are signed with a key of this process only.
  const downloads = d.downloadLinks ?? new DownloadSigner(randomBytes(32), d.config.AEGIS_DOWNLOAD_LINK_SECS * 1000);
  installSignedDownloads(app, downloads, d.authenticator);
  installAuth(app, d.authenticator);
  if (answered.length > 0) {
    app.addHook("onResponse", async (req, reply) => {
      const a = answeredOf(req, reply);
      for (const record of answered) record(a);
    });
  }

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "AegisOps API",
        version: d.version,
        description: "Self-hosted AI SRE: alerts in, diagnosis, council, remediation, verification, learning.",
      },
      components: {
        securitySchemes: {
          apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  await installRateLimits(app);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  const streams = new ConnectionLimiter(d.config.AEGIS_STREAMS_PER_KEY);
  const hub = new WsHub(d.bus, d.authenticator, d.logger, streams);
  hub.trackUpgrades(app.server);
  await app.register(async (scope) => {
    hub.register(scope);
    registerHealthRoutes(scope, d, () => hub.size);
    registerCoreRoutes(scope, d);
    registerApprovalRoutes(scope, d);
    registerIncidentRoutes(scope, d);
    const copilotLimits = copilotRateLimits(d.config.AEGIS_COPILOT_ANALYZE_PER_HOUR, d.config.AEGIS_COPILOT_PER_HOUR);
    registerAnalysisRoutes(scope, d, copilotLimits.analyze);
    registerRunbookRoutes(scope, d);
    await scope.register(async (copilot) => {
      declareSeed(copilot, "001");
      registerApiHealthRoutes(copilot, d, copilotLimits.other);
      registerTicketRoutes(copilot, d, copilotLimits.other);
      registerOutboundWebhookRoutes(copilot, d, copilotLimits.other);
    });
    await scope.register(async (argus) => {
      declareSeed(argus, "004");
      const limits = monitorRateLimits(d.config.AEGIS_MONITOR_RATE_LIMITS);
      registerMonitorRoutes(argus, d, limits);
      registerMonitorHistoryRoutes(argus, d, limits);
      registerMonitorAdminRoutes(argus, d, limits);
    });
    registerDocsRoutes(scope);
    // Seed 002's accounts: its FastAPI-style `{detail}` errors.
    await scope.register(async (sre) => {
      declareSeed(sre, "002");
      registerAuthRoutes(sre, d);
      registerProjectRoutes(sre, d);
      registerApiKeyRoutes(sre, d);
    });
    // Seed 003 (OnCall Agent): its `{success,...}` envelope and one hourly budget across its routes.
    await scope.register(async (oncall) => {
      declareSeed(oncall, "003");
      limitOnCallRoutes(oncall, d.config.AEGIS_ONCALL_PER_HOUR);
      registerOnCallRoutes(oncall, d);
      registerSettingsRoutes(oncall, d);
      registerSecurityRoutes(oncall, d, downloads);
      registerMonitoringRoutes(oncall, d);
      registerMonitoringStreamRoutes(oncall, d, streams);
      registerIntegrationRoutes(oncall, d);
      registerSecurityRotateRoutes(oncall, d);
      registerDashboardRoutes(oncall, d);
      registerAnalyticsRoutes(oncall, d, downloads);
      registerAgentRoutes(oncall, d);
      registerIncidentActionRoutes(oncall, d);
    });
    await scope.register(async (sre) => {
      declareSeed(sre, "002");
      registerMonitoringIntegrationRoutes(sre, d);
    });
    await registerChatCallbackRoutes(scope, d);
    await registerCockpitRoutes(scope);
    // Seed 003's webhook budget, per source: each intake token, each key posting to /webhook/pagerduty.
    await scope.register(async (sources) => {
      limitWebhookSources(sources, d.config.AEGIS_ONCALL_WEBHOOKS_PER_HOUR, isWebhookIntake);
      await registerAlertSourceRoutes(sources, d);
    });
    await scope.register(async (webhooks) => {
      limitWebhookSources(webhooks, d.config.AEGIS_ONCALL_WEBHOOKS_PER_HOUR);
      await registerPagerDutyWebhookRoutes(webhooks, d);
    });
    registerSilenceRoutes(scope, d);
    registerMcpRoutes(scope, d);
  });
  return { app, hub };
}
