import type { Schedule, Shift } from "@aegis/contracts";
import { DateTime } from "luxon";
import { Rotation } from "./rotation.js";

type ScheduleShape = Pick<Schedule, "time_zone" | "layers" | "overrides">;

/** The longest range a rendered timeline covers. */
export const MAX_TIMELINE_DAYS = 93;

/**
 * Who is on call on a schedule: an override covering the instant wins, then the highest layer (last
 * in the list) that covers it. Times are instants; the zone only places handoffs.
 */
export class OnCallResolver {
  private readonly rotations: { name: string; rotation: Rotation }[];

  constructor(private readonly schedule: ScheduleShape) {
    this.rotations = schedule.layers.map((l) => ({ name: l.name, rotation: new Rotation(l, schedule.time_zone) }));
  }

  at(instant: Date): Shift | null {
    const t = DateTime.fromJSDate(instant, { zone: this.schedule.time_zone });
    const override = this.schedule.overrides.find(
      (o) => Date.parse(o.start) <= t.toMillis() && t.toMillis() < Date.parse(o.end),
    );
    if (override) {
      return {
        user: override.user,
        start: iso(override.start),
        end: iso(override.end),
        source: "override",
        override_id: override.id,
      };
    }
    for (let i = this.rotations.length - 1; i >= 0; i--) {
      const r = this.rotations[i] as { name: string; rotation: Rotation };
      const s = r.rotation.at(t);
      if (s) return { user: s.user, start: utc(s.start), end: utc(s.end), source: r.name, override_id: null };
    }
    return null;
  }

  /**
   * The shifts of [from, to), clipped to the range: every boundary of every layer and override cuts
   * the range, each piece gets whoever `at` names, and neighbours of one person and source merge.
   */
  between(from: Date, to: Date): Shift[] {
    const f = DateTime.fromJSDate(from, { zone: this.schedule.time_zone });
    const e = DateTime.fromJSDate(to, { zone: this.schedule.time_zone });
    const cuts = new Set<number>([from.getTime(), to.getTime()]);
    for (const { rotation } of this.rotations) {
      for (const s of rotation.between(f, e)) {
        cuts.add(s.start.toMillis());
        cuts.add(s.end.toMillis());
      }
    }
    for (const o of this.schedule.overrides) {
      cuts.add(Date.parse(o.start));
      cuts.add(Date.parse(o.end));
    }
    const points = [...cuts].filter((c) => c >= from.getTime() && c <= to.getTime()).sort((a, b) => a - b);
    const out: Shift[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i] as number;
      const end = points[i + 1] as number;
      const who = this.at(new Date(start));
      if (!who) continue;
      const last = out[out.length - 1];
      if (
        last &&
        last.user === who.user &&
        last.source === who.source &&
        last.override_id === who.override_id &&
        Date.parse(last.end) === start
      ) {
        last.end = new Date(end).toISOString();
      } else {
        out.push({ ...who, start: new Date(start).toISOString(), end: new Date(end).toISOString() });
      }
    }
    return out;
  }
}

const utc = (d: DateTime) => d.toUTC().toISO() as string;
const iso = (s: string) => new Date(s).toISOString();
