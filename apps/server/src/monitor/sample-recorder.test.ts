import { METRIC_FIELDS, type MetricRecord } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { createLogger } from "../shared/logger.js";
import { SAMPLE_STATUSES, SAMPLE_WIDTH, type SampleBatch } from "./history/sample-batch.js";
import { SampleRecorder } from "./sample-recorder.js";

/** The batch's samples as records (the instant as an ISO string), to compare with what was offered. */
function recordsOf(batch: SampleBatch): MetricRecord[] {
  return Array.from({ length: batch.length }, (_, i) => {
    const r: Record<string, unknown> = {
      timestamp: new Date(batch.ms[i] as number).toISOString(),
      server_name: batch.names[i],
      status: SAMPLE_STATUSES[batch.status[i] as number],
    };
    METRIC_FIELDS.forEach((f, j) => {
      r[f] = batch.values[i * SAMPLE_WIDTH + j];
    });
    return r as unknown as MetricRecord;
  });
}

const base: Omit<MetricRecord, "timestamp" | "server_name"> = {
  status: "healthy",
  cpu_user_pct: 20,
  cpu_sys_pct: 5,
  cpu_iowait_pct: 1,
  cpu_idle_pct: 74,
  java_cpu_pct: 10,
  mem_used_pct: 50,
  swap_used_pct: 1,
  disk_usage_pct: 40,
  net_in_mb_s: 5,
  net_out_mb_s: 3,
  back_close_wait: 1,
  front_close_wait: 1,
  load_average: 1,
  uptime_days: 3,
};
const at = (server: string, minute: number): MetricRecord => ({
  ...base,
  server_name: server,
  timestamp: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString().slice(0, 19),
});

describe("SampleRecorder", () => {
  it("keeps one sample per server per interval of data time", async () => {
    const stored: MetricRecord[] = [];
    const r = new SampleRecorder(
      { appendSampleBatch: async (b) => void stored.push(...recordsOf(b)) },
      createLogger("silent"),
      {
        everyMinutes: 5,
        maxPending: 1000,
        batchSize: 2,
      },
    );
    r.offer([0, 1, 2, 5, 6, 10].flatMap((m) => [at("a", m), at("b", m)]));
    await r.flush();
    expect(stored.filter((s) => s.server_name === "a").map((s) => s.timestamp.slice(11, 16))).toEqual([
      "00:00",
      "00:05",
      "00:10",
    ]);
    expect(r.stored).toBe(6);
    expect(r.dropped).toBe(0);
  });

  it("drops and counts samples instead of blocking when the store falls behind, and counts failed writes", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((res) => {
      release = res;
    });
    let calls = 0;
    const r = new SampleRecorder(
      {
        appendSampleBatch: async () => {
          calls += 1;
          if (calls === 1) await gate;
          else throw new Error("disk full");
        },
      },
      createLogger("silent"),
      { everyMinutes: 0, maxPending: 3, batchSize: 2 },
    );
    r.offer([at("a", 0), at("a", 1), at("a", 2)]);
    // 2 are in the first (blocked) write and 1 waits: of 3 more, 2 fit under the bound of 3 and 1 is dropped.
    r.offer([at("a", 3), at("a", 4), at("a", 5)]);
    expect(r.dropped).toBe(1);
    expect(r.failed).toBe(0);
    release();
    await r.flush();
    expect(r.stored).toBe(2);
    // The 3 that waited went to a store that failed: counted as dropped, not retried forever.
    expect(r.dropped).toBe(1 + 3);
    expect(r.failed).toBe(3);
  });

  it("hands the store the values it stores (float4) and the instant, oldest first, in batches", async () => {
    const batches: MetricRecord[][] = [];
    const r = new SampleRecorder(
      { appendSampleBatch: async (b) => void batches.push(recordsOf(b)) },
      createLogger("silent"),
      {
        everyMinutes: 0,
        maxPending: 10,
        batchSize: 3,
      },
    );
    r.offer([0, 1, 2, 3, 4].map((m) => ({ ...at("a", m), cpu_user_pct: 25.3, status: "heavy_load" as const })));
    await r.flush();
    expect(batches.map((b) => b.length)).toEqual([3, 2]);
    const first = batches[0]?.[0];
    expect(first).toMatchObject({ server_name: "a", status: "heavy_load", uptime_days: 3, back_close_wait: 1 });
    expect(first?.timestamp).toBe("2026-01-01T00:00:00.000Z");
    expect(first?.cpu_user_pct).toBe(Math.fround(25.3));
    expect(batches[1]?.[1]?.timestamp).toBe("2026-01-01T00:04:00.000Z");
    expect(r.pending).toBe(0);
  });

  it("keeps each sample's server through the ring's wrap-around", async () => {
    const stored: string[] = [];
    const r = new SampleRecorder(
      { appendSampleBatch: async (b) => void stored.push(...b.names) },
      createLogger("silent"),
      { everyMinutes: 0, maxPending: 4, batchSize: 3 },
    );
    const servers = ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"];
    // Offered 3 at a time into a ring of 4, each stored before the next: the slots wrap, mid-offer.
    for (let k = 0; k < servers.length; k += 3) {
      r.offer(servers.slice(k, k + 3).map((s) => at(s, k)));
      await r.flush();
    }
    expect(stored).toEqual(servers);
    expect(r.dropped).toBe(0);
  });
});
