import { randomUUID } from "node:crypto";
import type { OnCallAt, Schedule, ScheduleInput, ScheduleOverride, ShiftTimeline } from "@aegis/contracts";
import { ConflictError, InputError, NotFoundError } from "../shared/errors.js";
import type { Database } from "../store/database.js";
import type { OnCallStore, ScheduleRow } from "../store/oncall-store.js";
import type { StoredOverride } from "../store/schema-oncall.js";
import { MAX_TIMELINE_DAYS, OnCallResolver } from "./on-call-resolver.js";

/** On-call schedules of a project: CRUD, who is on call at an instant, and the rendered shifts of a range. */
export class ScheduleService {
  constructor(
    private readonly database: Database,
    private readonly store: OnCallStore,
  ) {}

  async list(projectId: string): Promise<Schedule[]> {
    return (await this.store.listSchedules(this.database.db, projectId)).map(scheduleOf);
  }

  async get(projectId: string, id: string): Promise<Schedule> {
    return scheduleOf(await this.mustGet(projectId, id));
  }

  async create(projectId: string, input: ScheduleInput): Promise<Schedule> {
    const row = await this.store.insertSchedule(this.database.db, { projectId, id: randomUUID(), ...columnsOf(input) });
    return scheduleOf(row);
  }

  async replace(projectId: string, id: string, input: ScheduleInput): Promise<Schedule> {
    const row = await this.store.updateSchedule(this.database.db, projectId, id, columnsOf(input));
    if (!row) throw new NotFoundError(`schedule ${id} not found`);
    return scheduleOf(row);
  }

  async delete(projectId: string, id: string): Promise<void> {
    if (!(await this.store.deleteSchedule(this.database.db, projectId, id))) {
      throw new NotFoundError(`schedule ${id} not found`);
    }
  }

  /** Add an override (a person covers a time range) without rewriting the schedule; returns the schedule. */
  async addOverride(projectId: string, id: string, o: ScheduleOverride): Promise<Schedule> {
    return this.database.db.transaction(async (tx) => {
      const row = await this.store.lockSchedule(tx, projectId, id);
      if (!row) throw new NotFoundError(`schedule ${id} not found`);
      const stored = overrideOf(o);
      if (row.overrides.some((x) => x.id === stored.id)) {
        throw new ConflictError(`schedule ${id} already has an override ${stored.id}`, { field: "id" });
      }
      return scheduleOf(await this.store.setOverrides(tx, projectId, id, [...row.overrides, stored]));
    });
  }

  async removeOverride(projectId: string, id: string, overrideId: string): Promise<void> {
    await this.database.db.transaction(async (tx) => {
      const row = await this.store.lockSchedule(tx, projectId, id);
      if (!row) throw new NotFoundError(`schedule ${id} not found`);
      const kept = row.overrides.filter((x) => x.id !== overrideId);
      if (kept.length === row.overrides.length) {
        throw new NotFoundError(`schedule ${id} has no override ${overrideId}`);
      }
      await this.store.setOverrides(tx, projectId, id, kept);
    });
  }

  /** Who is on call on schedule `id` at `at`; null user when no layer covers the instant. */
  async onCallAt(projectId: string, id: string, at: Date): Promise<OnCallAt> {
    return onCallOf(await this.mustGet(projectId, id), at);
  }

  /** Every schedule of the project and who is on call on it at `at`. */
  async onCallNow(projectId: string, at: Date): Promise<OnCallAt[]> {
    return (await this.store.listSchedules(this.database.db, projectId)).map((row) => onCallOf(row, at));
  }

  /** The shifts of [from, to) (at most MAX_TIMELINE_DAYS). */
  async shifts(projectId: string, id: string, from: Date, to: Date): Promise<ShiftTimeline> {
    if (to.getTime() <= from.getTime()) {
      throw new InputError("`to` must be after `from`", "bad_request", {
        issues: [{ loc: ["query", "to"], msg: "must be after from", type: "value_error" }],
      });
    }
    if (to.getTime() - from.getTime() > MAX_TIMELINE_DAYS * 86_400_000) {
      throw new InputError(`a timeline covers at most ${MAX_TIMELINE_DAYS} days`, "bad_request", {
        issues: [{ loc: ["query", "to"], msg: `at most ${MAX_TIMELINE_DAYS} days after from`, type: "value_error" }],
      });
    }
    const row = await this.mustGet(projectId, id);
    const shifts = new OnCallResolver(scheduleOf(row)).between(from, to);
    return { schedule_id: row.id, time_zone: row.timeZone, from: from.toISOString(), to: to.toISOString(), shifts };
  }

  private async mustGet(projectId: string, id: string): Promise<ScheduleRow> {
    const row = await this.store.getSchedule(this.database.db, projectId, id);
    if (!row) throw new NotFoundError(`schedule ${id} not found`);
    return row;
  }
}

function columnsOf(input: ScheduleInput) {
  return {
    name: input.name,
    description: input.description ?? null,
    timeZone: input.time_zone,
    layers: input.layers,
    overrides: input.overrides.map(overrideOf),
  };
}

function overrideOf(o: ScheduleOverride): StoredOverride {
  return {
    id: o.id ?? randomUUID(),
    user: o.user,
    start: new Date(o.start).toISOString(),
    end: new Date(o.end).toISOString(),
    ...(o.reason !== undefined ? { reason: o.reason } : {}),
  };
}

export function scheduleOf(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    time_zone: row.timeZone,
    layers: row.layers,
    overrides: row.overrides,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function onCallOf(row: ScheduleRow, at: Date): OnCallAt {
  const shift = new OnCallResolver(scheduleOf(row)).at(at);
  return {
    schedule_id: row.id,
    schedule_name: row.name,
    time_zone: row.timeZone,
    at: at.toISOString(),
    user: shift?.user ?? null,
    shift,
  };
}
