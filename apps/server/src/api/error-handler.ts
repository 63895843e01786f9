import type { FastifyError, FastifyInstance } from "fastify";
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

type Issue = { loc: (string | number)[]; msg: string; type: string };

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

/** The one place errors become HTTP responses: `{error, code, detail?}`; validation detail is FastAPI-style. */
export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: FastifyError | AegisError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? "body";
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
      return reply.code(422).send({ error: `invalid ${where}: ${fields}`, code: "validation_error", detail });
    }
    if (err instanceof AegisError) {
      const status = statusOf(err);
      if (status >= 500) logger.error({ err, url: req.url }, err.message);
      const detail = err.detail as Issue[] | string | undefined;
      return reply.code(status).send({ error: err.message, code: err.code, ...(detail ? { detail } : {}) });
    }
    const fe = err as FastifyError;
    switch (fe.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return reply.code(422).send({
          error: "request body too large",
          code: "validation_error",
          detail: [{ loc: ["body"], msg: `body exceeds ${app.initialConfig.bodyLimit} bytes`, type: "too_big" }],
        });
      case "FST_ERR_CTP_INVALID_JSON_BODY":
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
        return reply.code(422).send({
          error: "request body is not valid JSON",
          code: "validation_error",
          detail: [{ loc: ["body"], msg: fe.message, type: "json_invalid" }],
        });
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return reply.code(415).send({ error: fe.message, code: "unsupported_media_type" });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send({ error: fe.message, code: (fe.code ?? "bad_request").toLowerCase() });
    }
    logger.error({ err, url: req.url }, "unhandled error");
    return reply.code(500).send({ error: "internal server error", code: "internal" });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: `no route for ${req.method} ${req.url.split("?")[0]}`, code: "not_found" });
  });
}
