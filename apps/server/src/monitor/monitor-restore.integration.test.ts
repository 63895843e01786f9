import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MetricRecord } from "@aegis/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { createLogger } from "../shared/logger.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { createMonitor, type Monitor } from "./create-monitor.js";
import { healthyValues, rng, syntheticRecord } from "./engine/synthetic-fleet.js";

const T0 = Date.UTC(2025, 0, 15, 6);
const STEP = 60_000;

/** 6 servers × `ticks` minutes; db02 leaks memory so its risk, forecasts and explanation are not the healthy ones. */
function ticks(from: number, to: number): MetricRecord[][] {
  const r = rng(11);
  const out: MetricRecord[][] = [];
  for (let i = from; i < to; i++) {
    const ms = T0 + i * STEP;
    out.push(
      ["web01", "web02", "db01", "db02", "app01", "app02"].map((name, s) => {
        const v = healthyValues(ms, r, s);
        if (name === "db02") v.mem = Math.min(99, 50 + 0.4 * i);
        return syntheticRecord(name, ms, v);
      }),
    );
  }
  return out;
}

describe.each(testDatabaseKinds())("monitor restart on %s", (kind) => {
  let t: TestDatabase;
  let dataDir: string;
  const open: Monitor[] = [];
  afterEach(async () => {
    for (const m of open.splice(0)) await m.close();
    await t?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string> = {}) => {
    const m = await createMonitor(
      loadConfig({ AEGIS_MONITOR_PROACTIVE: "false", AEGIS_MONITOR_SAMPLE_MINUTES: "0", ...env }),
      {
        database: t.database,
        dataDir,
        logger: createLogger("silent"),
        incidents: { receive: async () => Promise.reject(new Error("proactive incidents are off")) },
        manages: () => false,
      },
    );
    open.push(m);
    return m;
  };

  it("rebuilds every server's window, forecasts and risk from the stored samples", async () => {
    t = await freshDatabase(kind);
    dataDir = mkdtempSync(join(tmpdir(), "aegis-restore-"));
    const first = await start();
    for (const batch of ticks(0, 90)) first.service.ingest(batch);
    await first.service.flush();
    const before = first.service.engine.predictions();
    const explainBefore = first.service.engine.explain("db02");
    expect(before.summary.total_servers).toBe(6);
    expect(before.predictions.db02?.risk_score).toBeGreaterThan(before.predictions.web01?.risk_score ?? 100);
    await first.close();
    open.splice(0);

    const second = await start();
    const e = second.service.engine;
    expect(e.serversTracked).toBe(6);
    expect(e.recordCount).toBe(540);
    const after = e.predictions();
    expect(after.timestamp).toBe(before.timestamp);
    expect(Object.keys(after.predictions).sort()).toEqual(Object.keys(before.predictions).sort());
    for (const [name, p] of Object.entries(before.predictions)) {
      const q = after.predictions[name];
      // Samples are stored as float4: values agree to float precision, not bit for bit.
      expect(q?.risk_score).toBeCloseTo(p.risk_score, 0);
      expect(q?.alert.level).toBe(p.alert.level);
      expect(q?.profile).toBe(p.profile);
      expect(q?.last_seen).toBe(p.last_seen);
      expect(q?.forecast.timestamps).toEqual(p.forecast.timestamps);
      q?.forecast.mem_pct.forEach((v, k) => {
        expect(v).toBeCloseTo(p.forecast.mem_pct[k] ?? Number.NaN, 0);
      });
    }
    // The window itself: the explanation's focus periods come from it.
    expect(e.explain("db02")?.attention).toEqual(explainBefore?.attention);

    // Live records continue the restored series (older ones are stale and dropped).
    const next = ticks(90, 91)[0] ?? [];
    expect(second.service.ingest(next).accepted).toBe(6);
    expect(second.service.ingest(ticks(89, 90)[0] ?? []).accepted).toBe(0);
  });

  it("replays only the newest AEGIS_MONITOR_RESTORE_SAMPLES samples, and none at 0", async () => {
    t = await freshDatabase(kind);
    dataDir = mkdtempSync(join(tmpdir(), "aegis-restore-"));
    const first = await start();
    for (const batch of ticks(0, 20)) first.service.ingest(batch);
    await first.close();
    open.splice(0);

    const bounded = await start({ AEGIS_MONITOR_RESTORE_SAMPLES: "30" });
    expect(bounded.service.engine.recordCount).toBe(30);
    expect(bounded.service.engine.predictions().timestamp).toBe("2025-01-15T06:19:00");
    await bounded.close();
    open.splice(0);

    const none = await start({ AEGIS_MONITOR_RESTORE_SAMPLES: "0" });
    expect(none.service.engine.recordCount).toBe(0);
    expect(none.service.engine.serversTracked).toBe(0);
  });
});
