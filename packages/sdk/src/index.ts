export { AegisApiError } from "./aegis-api-error.js";
export { AegisClient, type AegisClientOptions, type IncidentListQuery, type RawResponse } from "./aegis-client.js";
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
export { FrameStream } from "./frame-stream.js";
export type { Health } from "./health.js";
