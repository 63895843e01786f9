import type { CopilotError, DetailError, ErrorBody, OnCallError } from "@aegis/contracts";
import { parseRetryAfter } from "./retry-policy.js";

/**
 * An error body in the envelope of the route's seed: `ErrorBody` (seed 000 `{error, code, detail?}`),
 * `CopilotError` (001 `{error: {code, message, …}}`), `DetailError` (002, 004 `{detail}`), `OnCallError`
 * (003 `{success: false, error, details, request_id}`); the raw text when the body is not JSON.
 */
export type ErrorEnvelope = ErrorBody | CopilotError | DetailError | OnCallError | string | null;

interface Parsed {
  code: string | undefined;
  text: string | undefined;
  retryAfter: number | undefined;
  requestId: string | undefined;
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Reads code, sentence, `retry_after` and request id from whichever seed envelope `body` is. */
export function parseEnvelope(body: unknown): Parsed {
  const b = obj(body);
  const none: Parsed = {
    code: undefined,
    text: typeof body === "string" && body ? body : undefined,
    retryAfter: undefined,
    requestId: undefined,
  };
  if (!b) return none;
  const nested = obj(b.error);
  if (nested) {
    // Seed 001.
    return {
      code: str(nested.code),
      text: str(nested.message),
      retryAfter: num(nested.retry_after),
      requestId: undefined,
    };
  }
  if (b.success === false) {
    // Seed 003: the code, when there is one, is among the details.
    const details = obj(b.details);
    return {
      code: str(details?.code),
      text: str(b.error),
      retryAfter: num(details?.retry_after),
      requestId: str(b.request_id),
    };
  }
  if ("detail" in b && !("code" in b)) {
    // Seeds 002 and 004 (FastAPI): a sentence, or the validation issues.
    const d = b.detail;
    const text = typeof d === "string" ? d : Array.isArray(d) ? issuesText(d) : undefined;
    return { code: undefined, text, retryAfter: num(b.retry_after), requestId: undefined };
  }
  // Seed 000 (and the product's own routes): `{error, code, detail?}`.
  const d = b.detail;
  const text = typeof d === "string" ? d : Array.isArray(d) ? issuesText(d) : (str(b.error) ?? str(b.message));
  return { code: str(b.code), text, retryAfter: num(b.retry_after), requestId: undefined };
}

function issuesText(issues: unknown[]): string {
  return issues
    .map((i) => {
      const o = obj(i);
      const loc = Array.isArray(o?.loc) ? o.loc.join(".") : "";
      return `${loc}${loc ? ": " : ""}${str(o?.msg) ?? JSON.stringify(i)}`;
    })
    .join("; ");
}

/**
 * The server answered with a non-2xx status. `status`, the envelope's `code` (seeds 000, 001, and 003 when its
 * details carry one), a readable `message`, the whole `body`, and `retryAfter` in seconds (the `Retry-After`
 * header, else the envelope's `retry_after`). Subclasses by status: see `apiErrorFor`.
 */
export class AegisApiError extends Error {
  override readonly name: string = "AegisApiError";
  readonly code: string | undefined;
  /** Seconds the server asked to wait before sending again, when it said. */
  readonly retryAfter: number | undefined;
  /** Seed 003's `request_id`. */
  readonly requestId: string | undefined;
  /** The envelope's own sentence (the message without method, path and status). */
  readonly serverMessage: string | undefined;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: ErrorEnvelope,
    readonly headers: Headers,
  ) {
    const p = parseEnvelope(body);
    const said = p.text ?? (body === null ? "(no body)" : JSON.stringify(body));
    super(`${method} ${path} → ${status}${p.code ? ` ${p.code}` : ""}: ${said}`);
    this.code = p.code;
    this.serverMessage = p.text;
    this.requestId = p.requestId;
    const header = parseRetryAfter(headers.get("retry-after"));
    this.retryAfter = header !== undefined ? header / 1000 : p.retryAfter;
  }
}

/** 400 and 422: the request was refused as invalid. */
export class InvalidRequestError extends AegisApiError {
  override readonly name: string = "InvalidRequestError";
}
/** 401: a missing, wrong or expired credential. */
export class UnauthorizedError extends AegisApiError {
  override readonly name: string = "UnauthorizedError";
}
/** 403: the credential's role may not do this. */
export class ForbiddenError extends AegisApiError {
  override readonly name: string = "ForbiddenError";
}
/** 404: no such resource (or not in the caller's project). */
export class NotFoundError extends AegisApiError {
  override readonly name: string = "NotFoundError";
}
/** 409: the resource is not in a state that allows this (e.g. not awaiting approval). */
export class ConflictError extends AegisApiError {
  override readonly name: string = "ConflictError";
}
/** 429: over a rate limit; `retryAfter` says when to come back. */
export class RateLimitError extends AegisApiError {
  override readonly name: string = "RateLimitError";
}
/** 504 (seed 001 `TIMEOUT`, with `partial_results` in the body). */
export class TimeoutError extends AegisApiError {
  override readonly name: string = "TimeoutError";
}
/** Any other 5xx. */
export class ServerError extends AegisApiError {
  override readonly name: string = "ServerError";
}

/** The error class for `status`. */
export function apiErrorFor(
  method: string,
  path: string,
  status: number,
  body: ErrorEnvelope,
  headers: Headers,
): AegisApiError {
  const Kind =
    status === 400 || status === 422
      ? InvalidRequestError
      : status === 401
        ? UnauthorizedError
        : status === 403
          ? ForbiddenError
          : status === 404
            ? NotFoundError
            : status === 409
              ? ConflictError
              : status === 429
                ? RateLimitError
                : status === 504
                  ? TimeoutError
                  : status >= 500
                    ? ServerError
                    : AegisApiError;
  return new Kind(method, path, status, body, headers);
}
