import { type IncidentResult, Seed000IncidentResult } from "@aegis/contracts";
import { serializerCompiler } from "fastify-type-provider-zod";
import { onSeed000Wire } from "../../engine/seed000-wire.js";
import { IngestFullError } from "../../ingest/ingest-full-error.js";
import { receivedWireBody } from "../../ingest/received-wire-body.js";

/** The content type of `/webhook`'s 200 (Fastify's for a serialized object). */
export const WEBHOOK_ANSWER_TYPE = "application/json; charset=utf-8";

/** The route's response serializer, compiled as Fastify compiles it for the route's 200. */
const serialize = serializerCompiler({
  schema: Seed000IncidentResult,
  method: "POST",
  url: "/webhook",
  httpStatus: "200",
} as Parameters<typeof serializerCompiler>[0]);

/**
 * `/webhook`'s 200 body as text, for the route's hot path and the plain `/webhook` handler alike: a fresh
 * RECEIVED incident's prebuilt text, anything else (a repeat reading a stored incident that moved on, an
 * approval, a group) the route's own serializer over seed 000's wire form.
 */
export function webhookAnswer(incident: IncidentResult, approvalExpiryMs: number): string {
  return receivedWireBody(incident) ?? serialize(onSeed000Wire(incident, approvalExpiryMs));
}

/** Backpressure: nothing was accepted; the `Retry-After` (seconds) telling the sender when to send it again. */
export function webhookRetryAfter(err: unknown): string | undefined {
  return err instanceof IngestFullError ? String(err.retryAfterSeconds) : undefined;
}
