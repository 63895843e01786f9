import type { FastifyInstance, FastifyRequest } from "fastify";

/** Which seed document a route implements; it decides the error envelope and the rate-limit headers. */
export type Seed = "000" | "001" | "002" | "003" | "004";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set by `declareSeed` on every route of a scope; absent means seed 000's envelope. */
    seed?: Seed;
    /**
     * A path several seeds define: the seed whose client is asking, per request (wins over `seed`),
     * so its errors come in that client's envelope too.
     */
    seedFor?: (req: FastifyRequest) => Seed;
    /**
     * A route's own wording of a validation failure, from the first failing field (`body` when the body
     * itself is wrong) and the body; undefined keeps the generic one. Seed 001's analyze documents one.
     */
    explainInvalid?: (
      field: string,
      body: unknown,
    ) => { message: string; details: Record<string, unknown> } | undefined;
    /**
     * The status a route documents for a validation failure, when it is not its seed's usual one
     * (seed 002's login: "400 Bad Request: Missing required fields"); undefined keeps the usual one.
     */
    invalidStatus?: (issues: Issue[]) => number | undefined;
  }
}

export type Issue = { loc: (string | number)[]; msg: string; type: string };

/** Where a request part is in an issue's `loc`, as FastAPI names it (Fastify says `querystring`, `params`, `headers`). */
export function locPart(part: string): string {
  if (part === "querystring") return "query";
  if (part === "params") return "path";
  if (part === "headers") return "header";
  return part;
}

/** An error, seed-neutral: what went wrong; `envelopeOf` writes it the way the route's seed documents. */
export interface Problem {
  status: number;
  /** The product's stable lowercase code (`validation_error`, `not_found`, …). */
  code: string;
  message: string;
  /** Validation issues (FastAPI-style) or a sentence, as seed 000 has always sent. */
  detail?: Issue[] | string;
  /** Structured context (seed 001 `details`, seed 003 `details`). */
  details?: Record<string, unknown>;
  retryAfter?: number;
}

/** Every route registered in `scope` (and its children) implements `seed`. */
export function declareSeed(scope: FastifyInstance, seed: Seed): void {
  scope.addHook("onRoute", (route) => {
    route.config = { ...route.config, seed };
  });
}

export function seedOf(req: FastifyRequest): Seed {
  const config = req.routeOptions.config;
  return config?.seedFor?.(req) ?? config?.seed ?? "000";
}

/** Seed 001's codes by HTTP status (its *Error Codes* table, plus the product's 409 and 502). */
const COPILOT_CODES: Record<number, string> = {
  400: "INVALID_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  415: "INVALID_REQUEST",
  429: "RATE_LIMIT_EXCEEDED",
  500: "INTERNAL_ERROR",
  502: "UPSTREAM_ERROR",
  503: "SERVICE_UNAVAILABLE",
  504: "TIMEOUT",
};

/**
 * The status and body of `p` in `seed`'s documented envelope:
 * - 000 `{error, code, detail}` (validation 422 with FastAPI-style `detail`; otherwise the context, else the
 *   sentence, so a FastAPI client reading `detail` finds one);
 * - 001 `{error: {code, message, details?, partial_results?, retry_after?}}`, validation as 400
 *   `INVALID_REQUEST` with `details.field` (the first failing field), 401 with the seed's sentence;
 * - 002 and 004 `{detail}` (FastAPI), validation 422 with the issues as `detail`; a 429 adds `retry_after`;
 * - 003 `{success: false, error, details, request_id}`, validation as 400.
 */
export function envelopeOf(seed: Seed, p: Problem, requestId: string): { status: number; body: unknown } {
  const issues = Array.isArray(p.detail) ? p.detail : undefined;
  const invalid = p.code === "validation_error";
  switch (seed) {
    case "001": {
      const status = invalid ? 400 : p.status;
      const first = issues?.[0];
      const field = first ? fieldOf(first) : undefined;
      // The seed puts a timeout's partial results beside the message, not inside `details`.
      const { partial_results, ...rest } = p.details ?? {};
      const details = Object.keys(rest).length > 0 ? rest : field ? { field } : undefined;
      const message =
        status === 401 ? "Invalid or missing API key" : first && !p.details ? `${field}: ${first.msg}` : p.message;
      return {
        status,
        body: {
          error: {
            code: COPILOT_CODES[status] ?? (status >= 500 ? "INTERNAL_ERROR" : "INVALID_REQUEST"),
            message,
            ...(details ? { details } : {}),
            ...(partial_results !== undefined ? { partial_results } : {}),
            ...(p.retryAfter !== undefined ? { retry_after: p.retryAfter } : {}),
          },
        },
      };
    }
    case "002":
    case "004": {
      // Seed 004 documents one sentence for every credential failure, and Pydantic 1's issue wording.
      const worded = seed === "004" && issues ? issues.map(pydanticV1Issue) : issues;
      const detail = seed === "004" && p.status === 401 ? "Invalid or missing API key" : (worded ?? p.message);
      return {
        status: p.status,
        body: { detail, ...(p.retryAfter !== undefined ? { retry_after: p.retryAfter } : {}) },
      };
    }
    case "003":
      return {
        status: invalid ? 400 : p.status,
        body: {
          success: false,
          error: p.message,
          details: {
            ...(p.details ?? {}),
            ...(issues ? { issues } : {}),
            ...(p.retryAfter !== undefined ? { retry_after: p.retryAfter } : {}),
          },
          request_id: requestId,
        },
      };
    default: {
      // Seed 000 has always carried any context as `detail`; without any, the sentence, as FastAPI's `{detail}`.
      const detail = p.detail ?? p.details ?? p.message;
      return {
        status: p.status,
        body: { error: p.message, code: p.code, ...(detail !== undefined ? { detail } : {}) },
      };
    }
  }
}

/** Pydantic 1's `msg` and `type` for a value of the wrong JSON type, by the type the field expects. */
const V1_TYPE_ERRORS: Record<string, [msg: string, type: string]> = {
  number: ["value is not a valid float", "type_error.float"],
  int: ["value is not a valid integer", "type_error.integer"],
  string: ["str type expected", "type_error.str"],
  boolean: ["value could not be parsed to a boolean", "type_error.bool"],
  object: ["value is not a valid dict", "type_error.dict"],
  array: ["value is not a valid list", "type_error.list"],
};

/**
 * Seed 004 documents its 422 in Pydantic 1's words (`"value is not a valid float"`,
 * `"type_error.float"`): a missing field and a value of the wrong type are written that way; any other
 * issue keeps its own words. The `loc` is unchanged.
 */
export function pydanticV1Issue(issue: Issue): Issue {
  if (issue.type === "missing") return { ...issue, msg: "field required", type: "value_error.missing" };
  if (issue.type !== "invalid_type") return issue;
  const expected = /expected (\w+)/i.exec(issue.msg)?.[1]?.toLowerCase();
  const v1 = expected ? V1_TYPE_ERRORS[expected] : undefined;
  return v1 ? { ...issue, msg: v1[0], type: v1[1] } : issue;
}

/** `incident_id`, `records.3.cpu`, or `body` when the body itself is wrong. */
export function fieldOf(issue: Issue): string {
  return issue.loc.slice(1).join(".") || String(issue.loc[0]);
}
