import type { ScheduleLayer } from "@aegis/contracts";
import { DateTime } from "luxon";

/** One shift of one layer: [start, end) as instants, and whose it is. */
export interface LayerShift {
  user: string;
  start: DateTime;
  end: DateTime;
  index: number;
}

/**
 * A layer's shifts in its schedule's zone. Daily, weekly and whole-day custom shifts step in calendar
 * days, so the handoff stays at the local handoff time across daylight-saving switches (a shift over a
 * switch is an hour shorter or longer); other custom lengths step in exact hours.
 */
export class Rotation {
  private readonly anchor: DateTime;
  private readonly step: { days: number } | { hours: number };
  /** Nominal shift length, for a first guess of a shift's index. */
  private readonly nominalMs: number;

  constructor(
    private readonly layer: Pick<
      ScheduleLayer,
      "users" | "rotation_type" | "shift_length_hours" | "handoff_time" | "start_date"
    >,
    zone: string,
  ) {
    this.anchor = DateTime.fromISO(`${layer.start_date}T${layer.handoff_time}`, { zone });
    if (!this.anchor.isValid)
      throw new Error(`invalid layer start ${layer.start_date}T${layer.handoff_time} in ${zone}`);
    const hours =
      layer.rotation_type === "daily" ? 24 : layer.rotation_type === "weekly" ? 168 : (layer.shift_length_hours ?? 24);
    this.step = hours % 24 === 0 ? { days: hours / 24 } : { hours };
    this.nominalMs = hours * 3_600_000;
  }

  /** Start of shift `index` (0 is the first). */
  startOf(index: number): DateTime {
    if ("days" in this.step) return this.anchor.plus({ days: this.step.days * index });
    return this.anchor.plus({ hours: this.step.hours * index });
  }

  shift(index: number): LayerShift {
    const users = this.layer.users;
    const user = users[((index % users.length) + users.length) % users.length] as string;
    return { user, start: this.startOf(index), end: this.startOf(index + 1), index };
  }

  /** The shift covering `at`, or null before the layer starts. */
  at(at: DateTime): LayerShift | null {
    if (at < this.anchor) return null;
    let i = Math.floor((at.toMillis() - this.anchor.toMillis()) / this.nominalMs);
    // Daylight saving moves real boundaries by an hour from the nominal guess: settle on the right one.
    while (i > 0 && this.startOf(i) > at) i--;
    while (this.startOf(i + 1) <= at) i++;
    return this.shift(i);
  }

  /** Every shift overlapping [from, to). */
  between(from: DateTime, to: DateTime): LayerShift[] {
    const first = this.at(from < this.anchor ? this.anchor : from);
    if (!first) return [];
    const out: LayerShift[] = [];
    for (let i = first.index; ; i++) {
      const s = this.shift(i);
      if (s.start >= to) break;
      out.push(s);
    }
    return out;
  }
}
