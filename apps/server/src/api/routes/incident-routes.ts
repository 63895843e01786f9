import {
  ActionType,
  CreateIncidentV1,
  ErrorBody,
  IncidentListV1Seed001,
  IncidentListV1Seed002,
  IncidentListV1Seed003,
  IncidentMetricsV1,
  IncidentStatus,
  IncidentV1,
  IncidentV1Enveloped,
  LifecycleState,
  StateChangedV1,
  StateChangeV1,
  UpdateIncidentV1,
  WorkflowV1,
} from "@aegis/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ValidationError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { principalOf, projectOf } from "../request-identity.js";
import { copilotPaths, isExamplePath } from "./copilot-paths.js";
import { sreRateLimit, sreRateLimitShared } from "./sre-rate-limit.js";

const count = (max: number) => z.coerce.number().int().min(0).max(max).optional();

/** Every seed's list parameters; which of them a request uses decides the answer's envelope. */
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  offset: count(10_000_000),
  skip: count(10_000_000),
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  page_size: z.coerce.number().int().min(1).max(100).optional(),
  service: z.string().min(1).max(253).optional(),
  severity: z.string().min(1).max(40).optional(),
  state: LifecycleState.optional(),
  status: z.string().min(1).max(40).optional(),
});
type ListQuery = z.infer<typeof ListQuery>;

const OPEN: LifecycleState[] = ["detected", "acknowledged", "investigating", "mitigated"];

/**
 * `status` means a lifecycle state (seed 001: open, investigating, resolved; seed 003: triggered) or,
 * in capitals, seed 000's automation status.
 */
function statusFilter(status: string): { lifecycle?: LifecycleState[]; automationStatus?: string } {
  const lifecycle = LifecycleState.safeParse(status);
  if (lifecycle.success) return { lifecycle: [lifecycle.data] };
  if (status === "open") return { lifecycle: OPEN };
  if (status === "triggered") return { lifecycle: ["detected"] };
  if (IncidentStatus.safeParse(status).success) return { automationStatus: status };
  const accepted = ["open", "triggered", ...LifecycleState.options, ...IncidentStatus.options].join(", ");
  throw new ValidationError(`invalid query: status`, [
    { loc: ["query", "status"], msg: `must be one of: ${accepted}`, type: "enum" },
  ]);
}

/**
 * The seed whose parameters a request used: 003 (`page`/`page_size`), 002 (`skip`, `state`), 001
 * (`offset`, `service`, `status`). A request with none of them speaks the seed of its credential: a
 * signed-in user is seed 002's client (the only seed with users), an API key seed 001's.
 */
function styleOf(q: Partial<Record<keyof ListQuery, unknown>>, caller: "api_key" | "user"): "001" | "002" | "003" {
  if (q.page !== undefined || q.page_size !== undefined) return "003";
  if (q.skip !== undefined || q.state !== undefined) return "002";
  if (q.offset !== undefined || q.service !== undefined || q.status !== undefined) return "001";
  return caller === "user" ? "002" : "001";
}

/**
 * Whose client is asking, before or after authentication: a signed-in user (seed 002, the only seed
 * with users: its session cookie or a bearer token that is not an API key) or an API key (seed 001).
 */
function callerOf(req: FastifyRequest): "api_key" | "user" {
  if (req.principal) return req.principal.kind === "user" ? "user" : "api_key";
  const bearer = /^Bearer\s/i.test(req.headers.authorization ?? "") && req.headers["x-api-key"] === undefined;
  return bearer || /(?:^|;\s*)access_token=/.test(req.headers.cookie ?? "") ? "user" : "api_key";
}

/** The list's errors (401, 422) in the envelope of the seed whose parameters the request used. */
const listSeed = (req: FastifyRequest) => styleOf((req.query ?? {}) as Record<string, unknown>, callerOf(req));
/** One incident read answers errors to seed 002's users in `{detail}`, to API keys in seed 001's envelope. */
const detailSeed = (req: FastifyRequest) => (callerOf(req) === "user" ? "002" : "001");
/** Creation is seeds 002 (users) and 003 (API keys); so is an update (seed 003's, used by the cockpit too). */
const createSeed = (req: FastifyRequest) => (callerOf(req) === "user" ? "002" : "003");

/**
 * Seed 003's success envelope beside the bare incident, for API-key callers: seed 001 (detail) and
 * seed 002 (create) read the incident's own fields, seed 003 reads `{success, message, data}`.
 */
function enveloped(req: FastifyRequest, incident: IncidentV1, message: string): IncidentV1 | IncidentV1Enveloped {
  return callerOf(req) === "user" ? incident : { ...incident, success: true as const, message, data: incident };
}

const INC_REF = /^INC-\d+$/;
const IdParams = z.object({ id: z.string().min(1).max(200) });
const errors = { 401: ErrorBody, 404: ErrorBody, 422: ErrorBody };

/**
 * The one incident resource under /api/v1 (seeds 001, 002, 003; the same incidents as seed 000's
 * `/incidents`). `{id}` is the incident's id or its `INC-<n>` reference.
 */
export function registerIncidentRoutes(fastify: FastifyInstance, d: AppDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const sre = sreRateLimit(d.config.AEGIS_SRE_PER_MINUTE);
  const sreShared = sreRateLimitShared(d.config.AEGIS_SRE_PER_MINUTE);
  const r = d.incidentResource;

  for (const url of copilotPaths("/api/v1/incidents"))
    app.get(
      url,
      {
        config: { rateLimit: sreShared, seedFor: listSeed },
        schema: {
          hide: isExamplePath(url),
          tags: ["incidents"],
          summary: "List the project's incidents, newest first",
          description:
            "Pagination and envelope follow the seed whose parameters are used: `page`/`page_size` → seed 003 `{success, message, data: {items, total, page, page_size, has_next}}`; `skip` (or the `state` filter) → seed 002's bare array; `offset`, `service` or `status` → seed 001 `{incidents, total, limit, offset}`; with none of these, a signed-in user gets seed 002's array and an API key seed 001's envelope. `status` takes a lifecycle state, `open`, `triggered`, or (in capitals) seed 000's automation status.",
          querystring: ListQuery,
          response: {
            200: z.union([IncidentListV1Seed003, IncidentListV1Seed001, IncidentListV1Seed002]),
            401: ErrorBody,
            422: ErrorBody,
          },
        },
      },
      async (req) => {
        const q = req.query;
        const filter = {
          service: q.service,
          severity: q.severity,
          ...(q.status ? statusFilter(q.status) : {}),
          ...(q.state ? { lifecycle: [q.state] } : {}),
        };
        const project = projectOf(req);
        switch (styleOf(q, principalOf(req).kind)) {
          case "003": {
            const page = q.page ?? 1;
            const size = q.page_size ?? 20;
            const { items, total } = await r.list(project, filter, size, (page - 1) * size);
            const data = { items, total, page, page_size: size, has_next: page * size < total };
            return { success: true as const, message: `${items.length} of ${total} incidents`, data, ...data };
          }
          case "002":
            return r.page(project, filter, q.limit ?? 10, q.skip ?? 0);
          default: {
            const limit = q.limit ?? 20;
            const offset = q.offset ?? 0;
            const { items, total } = await r.list(project, filter, limit, offset);
            // Seed 001 names incidents by their INC-<n> reference.
            return { incidents: items.map((i) => ({ ...i, incident_id: i.reference })), total, limit, offset };
          }
        }
      },
    );

  app.post(
    "/api/v1/incidents",
    {
      config: { rateLimit: sreShared, seedFor: createSeed },
      schema: {
        tags: ["incidents"],
        summary: "Open an incident by hand; it enters the remediation pipeline",
        description:
          "Seed 002's body (`title`, `description`, `service_name`, `severity`). The pipeline diagnoses it and the council reviews the proposal; with the default `dry_run: true` nothing is executed, `dry_run: false` lets the automation act as for a webhook.",
        body: CreateIncidentV1,
        response: { 200: z.union([IncidentV1Enveloped, IncidentV1]), ...errors },
      },
    },
    async (req) => {
      const incident = await r.create(projectOf(req), req.body);
      return enveloped(req, incident, `Incident ${incident.reference} created`);
    },
  );

  for (const url of copilotPaths("/api/v1/incidents/:id"))
    app.get(
      url,
      {
        config: { rateLimit: sreShared, seedFor: detailSeed },
        schema: {
          hide: isExamplePath(url),
          tags: ["incidents"],
          summary: "One incident: lifecycle, automation record, transitions",
          params: IdParams,
          response: { 200: z.union([IncidentV1Enveloped, IncidentV1]), ...errors },
        },
      },
      async (req) => {
        const project = projectOf(req);
        const found = await r.get(project, req.params.id);
        // Asked by its seed-001 reference, it answers in those terms.
        const incident = INC_REF.test(req.params.id) ? { ...found, incident_id: found.reference } : found;
        const a = incident.automation;
        const action = ActionType.safeParse(a.action);
        const message = `Incident ${incident.reference}`;
        if (!action.success || !a.root_cause) return enveloped(req, { ...incident, analysis: null }, message);
        const analysis = await d.analysis.diagnosisDetail(
          project,
          incident.id,
          {
            action: action.data,
            root_cause: a.root_cause,
            confidence: a.confidence ?? 0,
            justification: "",
            replica_count: 2,
          },
          a.container_name ?? incident.service_name ?? "service",
        );
        return enveloped(req, { ...incident, analysis }, message);
      },
    );

  app.patch(
    "/api/v1/incidents/:id",
    {
      config: { rateLimit: sreShared, seedFor: createSeed },
      schema: {
        tags: ["incidents"],
        summary: "Update an incident's title, description, service, severity and optionally its state (seed 003)",
        params: IdParams,
        body: UpdateIncidentV1,
        response: { 200: z.union([IncidentV1Enveloped, IncidentV1]), 409: ErrorBody, ...errors },
      },
    },
    async (req) => {
      const incident = await r.update(projectOf(req), principalOf(req), req.params.id, req.body);
      return enveloped(req, incident, `Incident ${incident.reference} updated`);
    },
  );

  app.patch(
    "/api/v1/incidents/:id/state",
    {
      config: { rateLimit: sre, seed: "002" },
      schema: {
        tags: ["incidents"],
        summary: "Move the human lifecycle (seed 002); 409 names the allowed moves",
        params: IdParams,
        body: StateChangeV1,
        response: { 200: StateChangedV1, 409: ErrorBody, ...errors },
      },
    },
    (req) => r.changeState(projectOf(req), principalOf(req), req.params.id, req.body.state, req.body.note),
  );

  app.get(
    "/api/v1/incidents/:id/workflow",
    {
      config: { rateLimit: sre, seed: "002" },
      schema: {
        tags: ["incidents"],
        summary: "The pipeline's steps with their timings, from the timeline",
        params: IdParams,
        response: { 200: WorkflowV1, ...errors },
      },
    },
    (req) => r.workflow(projectOf(req), req.params.id),
  );

  const metrics = {
    config: { seed: "002" as const, rateLimit: sre },
    schema: {
      tags: ["incidents"],
      summary: "Time to acknowledge, mitigate and resolve; model tokens and cost (null where nothing recorded it)",
      params: IdParams,
      response: { 200: IncidentMetricsV1, ...errors },
    },
  };
  app.get("/api/v1/incidents/:id/metrics", metrics, (req) => r.metrics(projectOf(req), req.params.id));
  app.get(
    "/api/v1/analytics/incident-metrics/:id",
    { ...metrics, schema: { ...metrics.schema, tags: ["analytics"] } },
    (req) => r.metrics(projectOf(req), req.params.id),
  );
}
