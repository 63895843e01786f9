export { AegisApiError } from "./aegis-api-error.js";
export { AegisClient, type AegisClientOptions, type RawResponse } from "./aegis-client.js";
export { FrameStream } from "./frame-stream.js";
export type { Health } from "./health.js";
