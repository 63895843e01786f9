import type { FastifyContextConfig, FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import {
  AegisError,
  AuthError,
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
  UnavailableError,
  UpstreamError,
  ValidationError,
} from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";
import { envelopeOf, fieldOf, type Issue, locPart, type Problem, type Seed, seedOf } from "./seed-envelope.js";

function statusOf(err: AegisError): number {
  if (err instanceof ValidationError) return 422;
  if (err instanceof InputError) return 400;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof AuthError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof RateLimitError) return 429;
  if (err instanceof UnavailableError) return 503;
  if (err instanceof TimeoutError) return 504;
  if (err instanceof UpstreamError) return 502;
  return 500;
}

/** The content type of every error answer. */
export const ERROR_TYPE = "application/json; charset=utf-8";

/** What an error answer depends on besides the error: the route's seed, the request's id, URL, config and body. */
export interface ErrorContext {
  seed: Seed;
  requestId: string;
  url: string;
  config: FastifyContextConfig | undefined;
  body: unknown;
}

/**
 * An error as an HTTP answer (status and the seed's envelope; sent as JSON of `ERROR_TYPE`), logged when
 * it is the server's fault (5xx). Fastify's error handler and the plain `/webhook` handler both answer
 * through it.
 */
export function errorAnswer(
  err: FastifyError | AegisError,
  logger: Logger,
  bodyLimit: number,
  ctx: ErrorContext,
): { status: number; body: unknown } {
  const p = explained(problemOf(err, bodyLimit), ctx);
  if (p.status >= 500) logger.error({ err, url: ctx.url }, p.status === 500 ? "unhandled error" : err.message);
  return envelopeOf(ctx.seed, p, ctx.requestId);
}

/**
 * The one place errors become HTTP responses. An error is first made a seed-neutral `Problem`, then
 * written in the envelope of the seed the route declares (`seed-envelope.ts`; seed 000's
 * `{error, code, detail?}` when it declares none). Validation detail is FastAPI-style.
 */
export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  const bodyLimit = app.initialConfig.bodyLimit ?? 0;
  app.setErrorHandler((err: FastifyError | AegisError, req, reply) => {
    const { status, body } = errorAnswer(err, logger, bodyLimit, {
      seed: seedOf(req),
      requestId: req.id,
      url: req.url,
      config: req.routeOptions.config,
      body: req.body,
    });
    // The envelope is this handler's to write: a route's declared error schema must not re-shape it.
    return reply.code(status).type(ERROR_TYPE).serializer(JSON.stringify).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0] ?? "/";
    const allowed = methodsAt(app, path);
    // As the seeds' FastAPI servers answer: a known path asked with another method is 405 with `Allow`.
    if (allowed.length > 0 && !allowed.includes(req.method)) {
      return reply
        .code(405)
        .header("allow", allowed.join(", "))
        .send({
          error: `${req.method} is not allowed on ${path}`,
          code: "method_not_allowed",
          detail: "Method Not Allowed",
        });
    }
    return reply
      .code(404)
      .send({ error: `no route for ${req.method} ${path}`, code: "not_found", detail: "Not Found" });
  });
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** The methods a route serves `path` with; catch-all routes (the cockpit's files) do not count. */
function methodsAt(app: FastifyInstance, path: string): string[] {
  return METHODS.filter((method) => {
    const route = app.findRoute({ method, url: path });
    return route !== null && !Object.hasOwn(route.params ?? {}, "*");
  });
}

/**
 * A validation problem reworded by the route, when it documents its own wording (`config.explainInvalid`),
 * or answered with the status it documents (`config.invalidStatus`).
 */
function explained(p: Problem, ctx: ErrorContext): Problem {
  const first = Array.isArray(p.detail) ? p.detail[0] : undefined;
  const explain = ctx.config?.explainInvalid;
  const own = first && p.code === "validation_error" ? explain?.(fieldOf(first), ctx.body) : undefined;
  const issues = Array.isArray(p.detail) && p.code === "validation_error" ? p.detail : undefined;
  const status = issues ? ctx.config?.invalidStatus?.(issues) : undefined;
  return { ...p, ...(status ? { status } : {}), ...(own ? { message: own.message, details: own.details } : {}) };
}

function problemOf(err: FastifyError | AegisError, bodyLimit: number): Problem {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = locPart(err.validationContext ?? "body");
    const detail: Issue[] = err.validation.map((v) => {
      const path = v.instancePath.split("/").filter(Boolean);
      const message = v.message ?? "invalid value";
      const missing = v.keyword === "invalid_type" && /received undefined/.test(message);
      return {
        loc: [where, ...path.map((p) => (/^\d+$/.test(p) ? Number(p) : p))],
        msg: missing ? "Field required" : message,
        type: missing ? "missing" : v.keyword,
      };
    });
    const fields = detail.map((d) => d.loc.slice(1).join(".") || where).join(", ");
    return { status: 422, code: "validation_error", message: `invalid ${where}: ${fields}`, detail };
  }
  if (err instanceof AegisError) {
    const detail = err.detail;
    const structured = typeof detail === "object" && detail !== null && !Array.isArray(detail);
    return {
      status: statusOf(err),
      code: err.code,
      message: err.message,
      ...(typeof detail === "string" || Array.isArray(detail) ? { detail: detail as Issue[] | string } : {}),
      ...(structured ? { details: detail as Record<string, unknown> } : {}),
      ...(err instanceof RateLimitError ? { retryAfter: err.retryAfterSeconds } : {}),
    };
  }
  const fe = err as FastifyError;
  switch (fe.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        status: 422,
        code: "validation_error",
        message: "request body too large",
        detail: [{ loc: ["body"], msg: `body exceeds ${bodyLimit} bytes`, type: "too_big" }],
      };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return {
        status: 422,
        code: "validation_error",
        message: "request body is not valid JSON",
        detail: [{ loc: ["body"], msg: fe.message, type: "json_invalid" }],
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { status: 415, code: "unsupported_media_type", message: fe.message };
  }
  // The database went away (connection refused or lost, server shutting down): nothing was done, retry.
  // Drizzle wraps the driver's error (`DrizzleQueryError`): its code is on the cause.
  if (databaseUnreachable(fe.code) || databaseUnreachable((fe.cause as { code?: string } | undefined)?.code)) {
    return {
      status: 503,
      code: "unavailable",
      message: "the database is unreachable; nothing was done, retry shortly",
    };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, code: (fe.code ?? "bad_request").toLowerCase(), message: fe.message };
  }
  return { status: 500, code: "internal", message: "internal server error" };
}

/** SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, cannot connect now), or the socket failing. */
function databaseUnreachable(code: string | undefined): boolean {
  return code !== undefined && /^(?:08[0-9A-Z]{3}|57P0[123]|ECONNREFUSED|ECONNRESET)$/.test(code);
}
