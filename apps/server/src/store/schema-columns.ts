import { timestamp } from "drizzle-orm/pg-core";

/** A `timestamptz` column read as a Date: the one timestamp type of every table. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
