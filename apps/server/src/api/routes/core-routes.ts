import type { IncidentResult } from "@aegis/contracts";
import {
  ContainerInfo,
  ContainerMetrics,
  ErrorBody,
  IncidentPayload,
  IncidentStatus,
  RagTestResult,
  RunbookList,
  ScaleDownResult,
  ScaleEvent,
  Seed000IncidentResult,
  Topology,
} from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { FastifyRouteSchemaDef } from "fastify/types/schema.js";
import { validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { onSeed000Wire } from "../../engine/seed000-wire.js";
import { scaleDownPayload, scaleUpPayload } from "../../events/scale-payloads.js";
import { fastWebhookPayload } from "../../ingest/fast-webhook-payload.js";
import { InputError, ValidationError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { projectOf } from "../request-identity.js";
import { heldBody } from "../webhook-fast-handler.js";
import { WEBHOOK_ANSWER_TYPE, webhookAnswer, webhookRetryAfter } from "./webhook-answer.js";
import { webhookAuditBody } from "./webhook-audit-body.js";

const errors = { 401: ErrorBody, 404: ErrorBody, 422: ErrorBody };

/** Seed 000's REST endpoints, wire-compatible. */
export function registerCoreRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const expiryMs = d.config.AEGIS_APPROVAL_EXPIRY_SECS * 1000;
  const onWire = (r: IncidentResult) => onSeed000Wire(r, expiryMs);
  const fastPath = d.config.AEGIS_WEBHOOK_FAST_PATH;

  app.post(
    "/webhook",
    {
      config: { auditBody: webhookAuditBody },
      schema: {
        tags: ["incidents"],
        summary: "Receive an incident alert and start the remediation pipeline",
        description:
          "Durably records the incident (committed before the response) and returns it with status RECEIVED. A repeated incident_id returns the existing incident and starts nothing. `dry_run: true` stops after the council's decision.",
        body: IncidentPayload,
        response: { 200: Seed000IncidentResult, 503: ErrorBody, ...errors },
      },
      // Hot path (ADR 0025): a plainly valid body skips the schema walk; anything else gets the contract's
      // own validator, so its answer and error envelope are the general path's.
      ...(fastPath
        ? {
            // A body the plain `/webhook` handler read and handed over (not plainly valid) is parsed from its bytes.
            preParsing: heldBody,
            validatorCompiler: (route: FastifyRouteSchemaDef<unknown>) => {
              const general = validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);
              return (data: unknown) => {
                const value = fastWebhookPayload(data);
                return value ? { value } : general(data);
              };
            },
          }
        : {}),
    },
    async (req, reply) => {
      try {
        const { incident } = await d.incidents.receive(projectOf(req), req.body);
        // Text (a fresh incident's prebuilt body, byte-equal to the serializer's; tested) with a JSON type
        // is sent as it is: the route's serializer runs on objects only.
        if (fastPath) return reply.type(WEBHOOK_ANSWER_TYPE).send(webhookAnswer(incident, expiryMs) as never);
        return onWire(incident);
      } catch (err) {
        const retryAfter = webhookRetryAfter(err);
        if (retryAfter !== undefined) reply.header("retry-after", retryAfter);
        throw err;
      }
    },
  );

  app.get(
    "/incidents",
    {
      schema: {
        tags: ["incidents"],
        summary: "List incidents, newest first",
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(5000).default(500),
          offset: z.coerce.number().int().min(0).default(0),
          /** Seed 000's statuses; `COUNCIL_REVIEW` includes reviews awaiting a person. The product's own are accepted too. */
          status: IncidentStatus.optional(),
        }),
        response: { 200: z.array(Seed000IncidentResult), ...errors },
      },
    },
    async (req) => {
      const { status, ...page } = req.query;
      const statuses: IncidentStatus[] | undefined =
        status === "COUNCIL_REVIEW" ? ["COUNCIL_REVIEW", "AWAITING_APPROVAL"] : status ? [status] : undefined;
      return (await d.incidents.list(projectOf(req), { ...page, status: statuses })).map(onWire);
    },
  );

  app.get(
    "/incidents/:incident_id",
    {
      schema: {
        tags: ["incidents"],
        summary: "Full state of one incident",
        params: z.object({ incident_id: z.string().min(1) }),
        response: { 200: Seed000IncidentResult, ...errors },
      },
    },
    async (req) => onWire(await d.incidents.get(projectOf(req), req.params.incident_id)),
  );

  app.get(
    "/containers",
    {
      schema: {
        tags: ["runtime"],
        summary: "Containers (supervised services) of the executor",
        response: { 200: z.array(ContainerInfo) },
      },
    },
    () => d.executor.containers(),
  );

  app.get(
    "/metrics",
    {
      schema: {
        tags: ["runtime"],
        summary: "Live CPU, memory and network I/O per container",
        response: { 200: z.array(ContainerMetrics) },
      },
    },
    () => d.executor.metrics(),
  );

  app.get(
    "/topology",
    { schema: { tags: ["runtime"], summary: "Service topology graph", response: { 200: Topology } } },
    () => d.executor.topology(),
  );

  app.post(
    "/scale/:direction",
    {
      schema: {
        tags: ["runtime"],
        summary: "Manual scaling (no incident, no council)",
        params: z.object({ direction: z.string() }),
        querystring: z.object({
          count: z.coerce.number().int().min(1).default(2),
          container: z.string().min(1).optional(),
        }),
        response: { 200: z.union([ScaleEvent, ScaleDownResult]), 400: ErrorBody, ...errors },
      },
    },
    async (req) => {
      const { direction } = req.params;
      if (direction !== "up" && direction !== "down") {
        throw new InputError(`invalid scale direction "${direction}": use "up" or "down"`, "invalid_direction");
      }
      const target = req.query.container ?? d.executor.targets()[0];
      if (!target) throw new InputError("the executor declares no service to scale", "no_target");
      if (!d.executor.has(target)) throw new InputError(`unknown container "${target}"`, "unknown_container");
      if (direction === "up") {
        if (req.query.count > d.config.MAX_REPLICAS) {
          throw new ValidationError(`count exceeds MAX_REPLICAS (${d.config.MAX_REPLICAS})`, [
            { loc: ["query", "count"], msg: `must be at most ${d.config.MAX_REPLICAS}`, type: "too_big" },
          ]);
        }
        const event = await d.executor.scaleUp(target, req.query.count);
        d.bus.publish(projectOf(req), "scale.event", null, scaleUpPayload(null, event));
        return event;
      }
      const result = await d.executor.scaleDown(target);
      d.bus.publish(projectOf(req), "scale.event", null, scaleDownPayload(null, target, result.removed));
      return result;
    },
  );

  app.get(
    "/runbook",
    {
      schema: {
        tags: ["knowledge"],
        summary: "The self-growing knowledge base of resolved incidents",
        response: { 200: RunbookList },
      },
    },
    async (req) => {
      const entries = await d.knowledge.list(projectOf(req));
      return { entries, total: entries.length };
    },
  );

  app.get(
    "/rag/test",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Retrieve past incidents similar to a log text",
        querystring: z.object({
          logs: z.string().min(1).max(20_000),
          limit: z.coerce.number().int().min(1).max(20).default(3),
        }),
        response: { 200: RagTestResult, ...errors },
      },
    },
    async (req) => {
      const retrieved = await d.knowledge.similar(projectOf(req), req.query.logs, req.query.limit);
      return { query: req.query.logs, retrieved, count: retrieved.length };
    },
  );
}
