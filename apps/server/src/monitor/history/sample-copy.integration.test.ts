import { METRIC_FIELDS } from "@aegis/contracts";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { rowsOf } from "../../store/rows-of.js";
import { freshDatabase, type TestDatabase } from "../../testing/test-databases.js";
import { MonitorHistoryStore } from "./monitor-history-store.js";
import { SAMPLE_STATUSES, SAMPLE_WIDTH, type SampleBatch } from "./sample-batch.js";
import { encodeSampleCopy } from "./sample-copy.js";

const NAMES = ["web-01", "db,1", 'q"uote', "back\\slash", "café", "服务器", "emoji 🚀", "tab less", "x".repeat(200)];
const STAMPS = [
  Date.UTC(2025, 0, 15, 10, 0, 0),
  Date.UTC(2025, 0, 15, 10, 0, 0, 123),
  Date.UTC(1999, 11, 31, 23, 59, 59, 999), // before PostgreSQL's epoch: negative microseconds
  Date.UTC(1970, 0, 1),
  Date.UTC(2200, 5, 1, 12, 30),
];
/** Reals as the recorder hands them (float4 already) and as records carry them (short decimals). */
const REALS = [0, -0, 25.3, 100, 1e-7, 99.99, 1.5e-45, 3.4e38, 16_777_217, Math.fround(0.1), 7.123456, 1234.5];
const INTEGERS = [0, 1, 2_147_483_647, -2_147_483_648, 16_777_217, 365];

/** Every combination cycled through: each name, instant, status and edge value appears. */
function batch(n: number, offsetMs = 0): SampleBatch {
  const b = {
    length: n,
    names: [] as string[],
    ms: new Float64Array(n),
    status: new Uint8Array(n),
    values: new Float64Array(n * SAMPLE_WIDTH),
  };
  for (let i = 0; i < n; i++) {
    b.names.push(`${NAMES[i % NAMES.length]}-${i}`);
    b.ms[i] = (STAMPS[i % STAMPS.length] as number) + offsetMs;
    b.status[i] = i % SAMPLE_STATUSES.length;
    METRIC_FIELDS.forEach((f, j) => {
      const integer = f === "back_close_wait" || f === "front_close_wait" || f === "uptime_days";
      const pool = integer ? INTEGERS : REALS;
      b.values[i * SAMPLE_WIDTH + j] = pool[(i + j) % pool.length] as number;
    });
  }
  return b;
}

/** Every stored column as PostgreSQL prints it, the project left out. */
async function rowsOfProject(t: TestDatabase, project: string): Promise<string[]> {
  const rows = rowsOf(
    await t.database.db.execute(sql`
      select concat_ws('|', server_name, ts::text, status, ${sql.raw(METRIC_FIELDS.map((f) => `${f}::text`).join(", "))}) as r
      from monitor_samples where project_id = ${project} order by server_name, ts`),
  );
  return rows.map((r) => String(r.r));
}

describe("samples stored as binary COPY (embedded database)", () => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("stores exactly what the insert of array parameters stores, and skips a replayed sample", async () => {
    t = await freshDatabase("pglite");
    const copyFrom = t.database.copyFrom;
    expect(copyFrom).toBeDefined();
    let copies = 0;
    const counted = async (q: string, data: Uint8Array) => {
      copies++;
      await copyFrom?.(q, data);
    };
    await t.database.db.execute(sql`insert into projects (id, name) values ('copied', 'c'), ('inserted', 'i')`);
    const copied = new MonitorHistoryStore(t.database.db, "copied", counted);
    const inserted = new MonitorHistoryStore(t.database.db, "inserted");
    const first = batch(500);
    await copied.appendSampleBatch(first);
    await inserted.appendSampleBatch(first);
    expect(copies).toBe(1);
    const stored = await rowsOfProject(t, "copied");
    expect(stored.length).toBe(500);
    expect(stored).toEqual(await rowsOfProject(t, "inserted"));
    expect(stored.some((r) => r.includes("|1999-12-31 23:59:59.999+00|"))).toBe(true);

    // A batch holding an already stored (server, instant): COPY refuses all of it, the insert keeps the new ones.
    const replay = batch(600);
    await copied.appendSampleBatch(replay);
    await inserted.appendSampleBatch(replay);
    expect(copies).toBe(2);
    expect((await rowsOfProject(t, "copied")).length).toBe(600);
    expect(await rowsOfProject(t, "copied")).toEqual(await rowsOfProject(t, "inserted"));
  });

  it("leaves values COPY would store differently to the insert, which answers as before", async () => {
    t = await freshDatabase("pglite");
    let copies = 0;
    const copyFrom = t.database.copyFrom;
    const h = new MonitorHistoryStore(t.database.db, undefined, async (q, data) => {
      copies++;
      await copyFrom?.(q, data);
    });
    const column = (f: string) => METRIC_FIELDS.indexOf(f as (typeof METRIC_FIELDS)[number]);
    for (const [field, value] of [
      ["uptime_days", 2.5],
      ["back_close_wait", 2 ** 31],
      ["net_in_mb_s", 1e300],
      ["net_in_mb_s", 1e-50],
    ] as const) {
      const b = batch(3);
      b.values[SAMPLE_WIDTH + column(field)] = value;
      expect(encodeSampleCopy("default", b)).toBeUndefined();
      await expect(h.appendSampleBatch(b)).rejects.toThrow();
    }
    const unknownStatus = batch(2);
    unknownStatus.status[1] = 255;
    expect(encodeSampleCopy("default", unknownStatus)).toBeUndefined();
    await expect(h.appendSampleBatch(unknownStatus)).rejects.toThrow();
    expect(copies).toBe(0);
    expect(rowsOf(await t.database.db.execute(sql`select count(*)::int as n from monitor_samples`))[0]?.n).toBe(0);
  });
});
