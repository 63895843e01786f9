export {
  AegisApiError,
  apiErrorFor,
  ConflictError,
  type ErrorEnvelope,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  parseEnvelope,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
} from "./aegis-api-error.js";
export { AegisClient, type AegisClientOptions, type IncidentListQuery } from "./aegis-client.js";
export { ApprovalsApi } from "./approvals-api.js";
export type {
  LoginResponse,
  MeResponse,
  ProjectRef,
  Role,
  Seed003Envelope,
  Seed003Page,
  SignedInUser,
  SwitchProjectResponse,
} from "./auth-types.js";
export type * from "./copilot-types.js";
export { FrameStream } from "./frame-stream.js";
export type { Health } from "./health.js";
export { HttpCore, type HttpCoreOptions, type RawResponse } from "./http-core.js";
export { type CreateIncidentInput, IncidentsApi, type LiveFrames } from "./incidents-api.js";
export { type InsufficientData, MonitorApi } from "./monitor-api.js";
export { type EscalationPolicyInputArg, OnCallApi, type ScheduleInputArg } from "./oncall-api.js";
export { openFrameStream } from "./open-frame-stream.js";
export { DEFAULT_BASE_URL, OpscopilotClient, type OpscopilotClientOptions } from "./opscopilot-client.js";
export {
  backoffMs,
  DEFAULT_RETRY,
  isIdempotent,
  nextDelay,
  parseRetryAfter,
  type RetryOptions,
  type RetryPolicy,
} from "./retry-policy.js";
