import type { MetricRecord } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { createLogger } from "../shared/logger.js";
import { ArgusFleetMonitor } from "./engine/argus-fleet-monitor.js";
import { healthyValues, rng, syntheticRecord } from "./engine/synthetic-fleet.js";
import { FeedColumns } from "./feed-columns.js";
import { MonitorService } from "./monitor-service.js";
import { ProactiveIncidents } from "./proactive-incidents.js";
import { SampleRecorder } from "./sample-recorder.js";

const T0 = Date.UTC(2026, 2, 2, 8);
const logger = createLogger("silent");

/** A fleet's ticks: `ticks` records per server, one a minute, servers `prefix0..`. */
function fleet(prefix: string, servers: number, ticks: number, seed: number): MetricRecord[] {
  const r = rng(seed);
  const out: MetricRecord[] = [];
  for (let t = 0; t < ticks; t++) {
    const ms = T0 + t * 60_000;
    for (let s = 0; s < servers; s++) out.push(syntheticRecord(`${prefix}${s}`, ms, healthyValues(ms, r, s)));
  }
  return out;
}

function service(engine: ArgusFleetMonitor): MonitorService {
  const history = {
    appendAlertEvents: async () => undefined,
    appendSnapshot: async () => undefined,
    prune: async () => ({ samples: 0, alertEvents: 0, snapshots: 0 }),
  };
  const samples = new SampleRecorder({ appendSampleBatch: async () => undefined }, logger, {
    everyMinutes: 5,
    maxPending: 1000,
    batchSize: 500,
  });
  const proactive = new ProactiveIncidents({ receive: async () => Promise.reject(new Error("off")) } as never, logger, {
    enabled: false,
  } as never);
  return new MonitorService(engine, history, samples, proactive, logger, () => "model.json");
}

describe("MonitorService.ingestSliced", () => {
  it("ingests concurrent large batches one after the other, each whole, with the engine state of a plain ingest", async () => {
    const a = fleet("a", 40, 30, 1);
    const b = fleet("b", 40, 30, 2);
    const sliced = new ArgusFleetMonitor();
    const order: string[] = [];
    const ingest = sliced.ingest.bind(sliced);
    sliced.ingest = (records) => {
      order.push((records[0] as MetricRecord).server_name.charAt(0));
      return ingest(records);
    };
    const m = service(sliced);
    // A slice of 100 records (2 steps) per task: each batch needs many tasks.
    const [ra, rb] = await Promise.all([
      m.ingestSliced(FeedColumns.from(a), 100),
      m.ingestSliced(FeedColumns.from(b), 100),
    ]);
    expect(ra.accepted).toBe(a.length);
    expect(rb.accepted).toBe(b.length);
    expect(order.join("")).toBe("a".repeat(a.length / 50) + "b".repeat(b.length / 50));

    const plain = new ArgusFleetMonitor();
    plain.ingest(a);
    plain.ingest(b);
    expect(sliced.recordCount).toBe(plain.recordCount);
    for (const name of ["a0", "a39", "b7"]) expect(sliced.prediction(name)).toEqual(plain.prediction(name));
    expect(sliced.overview()).toEqual(plain.overview());
  });

  it("keeps going after a batch that fails", async () => {
    const engine = new ArgusFleetMonitor();
    const m = service(engine);
    const ingest = engine.ingest.bind(engine);
    let calls = 0;
    engine.ingest = (records) => {
      if (calls++ === 0) throw new Error("boom");
      return ingest(records);
    };
    const bad = m.ingestSliced(FeedColumns.from(fleet("x", 10, 10, 3)), 100);
    const good = m.ingestSliced(FeedColumns.from(fleet("y", 10, 10, 4)), 100);
    await expect(bad).rejects.toThrow("boom");
    expect((await good).accepted).toBe(100);
  });
});
