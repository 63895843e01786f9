import { z } from "zod";

/** An IANA time zone name (`Europe/Paris`); checked against the runtime's zone database. */
export const TimeZoneName = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone name such as Europe/Paris");

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24 h)");
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD");
const OnCallUser = z.string().trim().min(1).max(200);

/** How long one person's shift lasts in a layer. */
export const RotationType = z.enum(["daily", "weekly", "custom"]);
export type RotationType = z.infer<typeof RotationType>;

/**
 * One layer of a schedule: `users` take turns, each for one shift. Shifts start on `start_date` at
 * `handoff_time`, local to the schedule's time zone; daily and weekly shifts (and custom ones whose
 * length is a whole number of days) always hand off at that local time, whatever daylight saving does.
 */
export const ScheduleLayer = z
  .object({
    name: z.string().trim().min(1).max(200),
    users: z.array(OnCallUser).min(1).max(100),
    rotation_type: RotationType,
    /** Custom rotations only: the shift length in hours (multiples of 24 are calendar days). */
    shift_length_hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .optional(),
    handoff_time: LocalTime.default("09:00"),
    /** The first shift starts this day (local), with `users[0]`; the layer is empty before it. */
    start_date: LocalDate,
  })
  .refine((l) => l.rotation_type !== "custom" || l.shift_length_hours !== undefined, {
    message: "custom rotations need shift_length_hours",
    path: ["shift_length_hours"],
  });
export type ScheduleLayer = z.infer<typeof ScheduleLayer>;

/** A person covering a time range, above every layer. */
export const ScheduleOverride = z
  .object({
    id: z.string().min(1).max(100).optional(),
    user: OnCallUser,
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    reason: z.string().max(500).optional(),
  })
  .refine((o) => Date.parse(o.end) > Date.parse(o.start), { message: "end must be after start", path: ["end"] });
export type ScheduleOverride = z.infer<typeof ScheduleOverride>;

/** `POST /api/v1/oncall/schedules` and `PUT /api/v1/oncall/schedules/{id}` body. Later layers win over earlier ones. */
export const ScheduleInput = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  time_zone: TimeZoneName,
  layers: z.array(ScheduleLayer).min(1).max(20),
  overrides: z.array(ScheduleOverride).max(500).default([]),
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const Schedule = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  time_zone: z.string(),
  layers: z.array(
    z.object({
      name: z.string(),
      users: z.array(z.string()),
      rotation_type: RotationType,
      shift_length_hours: z.number().optional(),
      handoff_time: z.string(),
      start_date: z.string(),
    }),
  ),
  overrides: z.array(
    z.object({ id: z.string(), user: z.string(), start: z.string(), end: z.string(), reason: z.string().optional() }),
  ),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Schedule = z.infer<typeof Schedule>;

/** One stretch of time during which one person is on call, and why (a layer or an override). */
export const Shift = z.object({
  user: z.string(),
  start: z.string(),
  end: z.string(),
  /** The layer's name, or `override`. */
  source: z.string(),
  override_id: z.string().nullable(),
});
export type Shift = z.infer<typeof Shift>;

/** Who is on call on one schedule at one instant; `user` null when no layer covers it. */
export const OnCallAt = z.object({
  schedule_id: z.string(),
  schedule_name: z.string(),
  time_zone: z.string(),
  at: z.string(),
  user: z.string().nullable(),
  shift: Shift.nullable(),
});
export type OnCallAt = z.infer<typeof OnCallAt>;

export const ShiftTimeline = z.object({
  schedule_id: z.string(),
  time_zone: z.string(),
  from: z.string(),
  to: z.string(),
  shifts: z.array(Shift),
});
export type ShiftTimeline = z.infer<typeof ShiftTimeline>;

/** Who or what one escalation level pages. */
export const EscalationTarget = z.discriminatedUnion("type", [
  z.object({ type: z.literal("user"), id: OnCallUser }),
  z.object({ type: z.literal("schedule"), id: z.string().min(1).max(100) }),
  /** A notification channel or integration, by the name or id its registry gives it. */
  z.object({ type: z.literal("channel"), id: z.string().min(1).max(200) }),
]);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

export const EscalationLevel = z.object({
  /** Minutes to wait for an acknowledgement after paging this level before paging the next one. */
  delay_minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  targets: z.array(EscalationTarget).min(1).max(20),
});
export type EscalationLevel = z.infer<typeof EscalationLevel>;

/**
 * When an escalation starts: as soon as an incident opens, or only when automation needs a person
 * (the incident awaits approval or its remediation failed).
 */
export const EscalationTrigger = z.enum(["incident_opened", "needs_human"]);
export type EscalationTrigger = z.infer<typeof EscalationTrigger>;

/** `POST /api/v1/oncall/escalation-policies` and `PUT …/{id}` body. `service` null: the project's default policy. */
export const EscalationPolicyInput = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  service: z.string().trim().min(1).max(200).nullable().default(null),
  trigger: EscalationTrigger.default("incident_opened"),
  /** After the last level, start again from level 1 this many more times. */
  repeat: z.number().int().min(0).max(10).default(0),
  levels: z.array(EscalationLevel).min(1).max(10),
});
export type EscalationPolicyInput = z.infer<typeof EscalationPolicyInput>;

export const EscalationPolicy = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  service: z.string().nullable(),
  trigger: EscalationTrigger,
  repeat: z.number(),
  levels: z.array(
    z.object({
      delay_minutes: z.number(),
      targets: z.array(z.object({ type: z.enum(["user", "schedule", "channel"]), id: z.string() })),
    }),
  ),
  created_at: z.string(),
  updated_at: z.string(),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

export const EscalationState = z.enum(["waiting", "active", "stopped", "exhausted", "suppressed", "no_policy"]);
export type EscalationState = z.infer<typeof EscalationState>;

/** One incident's escalation as stored: where it is and when it next acts. */
export const EscalationStatus = z.object({
  incident_id: z.string(),
  policy_id: z.string().nullable(),
  state: EscalationState,
  /** 1-based level paged last (0: none yet). */
  level: z.number(),
  round: z.number(),
  next_at: z.string().nullable(),
  pages_sent: z.number(),
  stop_reason: z.string().nullable(),
  updated_at: z.string(),
});
export type EscalationStatus = z.infer<typeof EscalationStatus>;
