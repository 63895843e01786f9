import { type Param, sql } from "drizzle-orm";

/**
 * One `text[]` parameter, which both drivers (node-postgres, PGlite) pass as one array value: the batch
 * writes' `insert … select … from unnest(…)` take a column of any number of rows in constant SQL, where
 * Drizzle's multi-row `values` builds SQL (and garbage) in proportion to the rows (ADR 0025). Null and
 * undefined are NULL; a Date its ISO text; an object or array its JSON (for a `::jsonb` cast); anything
 * else its `String`.
 */
export function textArray(values: readonly unknown[]): Param {
  return sql.param(values.map(asText));
}

/** `textArray` of one field of each row. */
export function textColumn<T>(rows: readonly T[], field: (row: T) => unknown): Param {
  return sql.param(rows.map((row) => asText(field(row))));
}

function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}
