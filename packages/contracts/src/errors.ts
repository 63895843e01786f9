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
