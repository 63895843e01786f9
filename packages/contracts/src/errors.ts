import { z } from "zod";

/** One validation problem, FastAPI-style (`loc`, `msg`, `type`) so seed clients can read it. */
export const ValidationIssue = z.object({
  loc: z.array(z.union([z.string(), z.number()])),
  msg: z.string(),
  type: z.string(),
});

/** The JSON body of every error response. */
export const ErrorBody = z.object({
  error: z.string(),
  code: z.string(),
  detail: z.union([z.string(), z.array(ValidationIssue)]).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Seeds 002 and 004 (FastAPI): `{detail}`, a sentence or the validation issues; a 429 adds `retry_after`. */
export const DetailError = z.object({
  detail: z.union([z.string(), z.array(ValidationIssue)]),
  retry_after: z.number().int().optional(),
});
export type DetailError = z.infer<typeof DetailError>;

/** Seed 003: `{success: false, error, details, request_id}`. */
export const OnCallError = z.object({
  success: z.literal(false),
  error: z.string(),
  details: z.record(z.string(), z.unknown()),
  request_id: z.string(),
});
export type OnCallError = z.infer<typeof OnCallError>;
