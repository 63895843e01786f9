/** Errors by intent. Each carries a stable code; one handler (api/error-handler.ts) maps them to HTTP. */
export abstract class AegisError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The caller sent something invalid (HTTP 400 unless a route says otherwise). */
export class InputError extends AegisError {
  readonly code: string;
  constructor(message: string, code = "bad_request", detail?: unknown) {
    super(message, detail);
    this.code = code;
  }
}

/** A request body or parameter failed schema validation (HTTP 422). */
export class ValidationError extends AegisError {
  readonly code = "validation_error";
}

export class NotFoundError extends AegisError {
  readonly code = "not_found";
}

export class ConflictError extends AegisError {
  readonly code = "conflict";
}

export class AuthError extends AegisError {
  readonly code = "unauthorized";
}

export class ForbiddenError extends AegisError {
  readonly code = "forbidden";
}

/** A runtime or external system failed (executor, model provider). */
export class UpstreamError extends AegisError {
  readonly code: string;
  constructor(message: string, code = "upstream_error", detail?: unknown) {
    super(message, detail);
    this.code = code;
  }
}

/** A request ran out of its time budget (HTTP 504); `detail` carries what was done before. */
export class TimeoutError extends AegisError {
  readonly code = "timeout";
}

/** The server is shutting down or otherwise cannot take work now (HTTP 503). */
export class UnavailableError extends AegisError {
  readonly code = "unavailable";
}

/** A client spent its request budget (HTTP 429); `detail` is the seed's sentence with the wait. */
export class RateLimitError extends AegisError {
  readonly code = "rate_limited";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, message);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
