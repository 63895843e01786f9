import { METRIC_FIELDS, type MetricRecord, ServerStatus } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { rng } from "./engine/synthetic-fleet.js";
import { FeedColumns } from "./feed-columns.js";

/** Records as a parsed body has them: every field, awkward numbers included (−0, tiny, huge, many digits). */
function records(n: number, seed: number): MetricRecord[] {
  const r = rng(seed);
  const odd = [-0, 0, 5e-324, 0.1 + 0.2, 99.99999999999999, 100, 1e300, Number.MAX_SAFE_INTEGER];
  const num = () => (r() < 0.1 ? (odd[Math.floor(r() * odd.length)] as number) : r() * 100);
  return Array.from({ length: n }, (_, i) => {
    const rec: Record<string, unknown> = {
      timestamp: `2026-03-02T08:${String(Math.floor(i / 7) % 60).padStart(2, "0")}:00${Math.floor(i / 7) % 3 === 0 ? "Z" : ""}`,
      server_name: `srv-${i % 13}-${Math.floor(r() * 1e6)}`,
      status: ServerStatus.options[Math.floor(r() * ServerStatus.options.length)],
    };
    for (const f of METRIC_FIELDS) rec[f] = f === "uptime_days" ? Math.floor(r() * 366) : num();
    return JSON.parse(JSON.stringify(rec)) as MetricRecord;
  });
}

describe("FeedColumns", () => {
  it("rebuilds every record equal to the parsed one, fields in the same order, any step", () => {
    for (const seed of [1, 2, 3]) {
      const input = records(1237, seed);
      const cols = FeedColumns.from(input);
      expect(cols.length).toBe(input.length);
      const out: MetricRecord[] = [];
      for (let i = 0; i < cols.length; i += 50) out.push(...cols.records(i, i + 50));
      expect(out.length).toBe(input.length);
      for (let i = 0; i < input.length; i++) {
        const a = input[i] as unknown as Record<string, unknown>;
        const b = out[i] as unknown as Record<string, unknown>;
        expect(Object.keys(b)).toEqual(Object.keys(a));
        for (const k of Object.keys(a)) expect(Object.is(b[k], a[k])).toBe(true);
      }
    }
  });

  it("keeps one string per run of equal timestamps and clamps out-of-range steps", () => {
    const input = records(30, 4);
    const cols = FeedColumns.from(input);
    const out = cols.records(0, 30);
    expect(out[1]?.timestamp).toBe(out[0]?.timestamp);
    expect(cols.records(25, 99).length).toBe(5);
    expect(cols.records(-5, 2).length).toBe(2);
    expect(cols.records(40, 50)).toEqual([]);
  });
});
