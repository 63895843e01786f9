import { UpstreamError } from "../../shared/errors.js";

/** Why a provider produced no usable answer; the chain reports it and falls back. */
export type ProviderFailure =
  | "timeout"
  | "rate_limited"
  | "server_error"
  | "http_error"
  | "unreachable"
  | "invalid_output"
  | "aborted";

/** A model provider failed; `failure` is the stable reason, `status` the HTTP status when there was one. */
export class ProviderError extends UpstreamError {
  constructor(
    readonly failure: ProviderFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message, `llm_${failure}`);
  }
}

/** The failure an HTTP status means. */
export function failureOfStatus(status: number): ProviderFailure {
  if (status === 429) return "rate_limited";
  if (status === 408 || status === 504) return "timeout";
  if (status >= 500) return "server_error";
  return "http_error";
}
