import { z } from "zod";
import { TimelineStatus } from "./enums.js";
import { CouncilDecision, IncidentResult, TimelineEntry } from "./incident.js";

/**
 * Seed 000's own enums, exactly: what a seed-000 client may see in `status` and `final_verdict`. The
 * product's richer automation states (`AWAITING_APPROVAL`, a council's `NEEDS_REVIEW`) stay under
 * `/api/v1`; on seed 000's routes and frames they are written in these terms plus the `approval` object.
 * `REJECTED` is the seed's transition `COUNCIL_REVIEW → REJECTED → FAILED`.
 */
export const Seed000Status = z.enum([
  "RECEIVED",
  "ANALYSING",
  "COUNCIL_REVIEW",
  "APPROVED",
  "REJECTED",
  "EXECUTING",
  "SCALING",
  "VERIFYING",
  "RESOLVED",
  "FAILED",
]);
export type Seed000Status = z.infer<typeof Seed000Status>;

export const Seed000FinalVerdict = z.enum(["APPROVED", "REJECTED"]);

export const Seed000CouncilDecision = CouncilDecision.extend({
  final_verdict: Seed000FinalVerdict,
  /** True while the council's review waits for a person (the product's NEEDS_REVIEW). */
  awaiting_human: z.boolean().optional(),
});

/** Timeline statuses on seed 000's wire: the product's markers, without the automation-only state. */
export const Seed000TimelineStatus = TimelineStatus.exclude(["AWAITING_APPROVAL"]);

/** Seed 000's IncidentResult with its enums exactly (a superset of fields, never of values). */
export const Seed000IncidentResult = IncidentResult.extend({
  status: Seed000Status,
  council_decision: Seed000CouncilDecision.nullable(),
  timeline: z.array(TimelineEntry.extend({ status: Seed000TimelineStatus })),
});
export type Seed000IncidentResult = z.infer<typeof Seed000IncidentResult>;
