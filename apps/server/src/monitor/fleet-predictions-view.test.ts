import type { MetricRecord } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { ArgusFleetMonitor } from "./engine/argus-fleet-monitor.js";
import { healthyValues, rng, syntheticRecord } from "./engine/synthetic-fleet.js";
import { FleetPredictionsView } from "./fleet-predictions-view.js";

const T0 = Date.UTC(2025, 0, 15);
const STEP = 300_000;

/** 40 servers for 30 ticks; every 8th leaks memory so the fleet holds several risk levels. */
function fleet(ticks = 30, servers = 40): ArgusFleetMonitor {
  const m = new ArgusFleetMonitor();
  const r = rng(7);
  for (let i = 0; i < ticks; i++) {
    const ms = T0 + i * STEP;
    const batch: MetricRecord[] = [];
    for (let s = 0; s < servers; s++) {
      const v = healthyValues(ms, r, s);
      if (s % 8 === 0) v.mem = Math.min(100, 60 + 1.5 * i);
      batch.push(syntheticRecord(`srv${s}`, ms, v));
    }
    m.ingest(batch);
  }
  return m;
}

describe("FleetPredictionsView", () => {
  it("builds the seed's full map in slices, equal to the payload built at once, shared by concurrent reads", async () => {
    const m = fleet();
    const view = new FleetPredictionsView(m, 7);
    const a = view.fullMap();
    expect(view.fullMap()).toBe(a);
    expect(a.done).toBe(false);
    const body = await a.whole();
    expect(a.done).toBe(true);
    expect(a.length).toBe(body.length);
    expect(view.fullMap()).toBe(a);
    const json = body.toString("utf8");
    expect(body.equals(Buffer.from(JSON.stringify(m.predictions())))).toBe(true);
    expect(Object.keys(JSON.parse(json))).toEqual(["predictions", "summary", "alerts", "timestamp"]);
    expect(await view.fullJson()).toBe(json);
    m.ingest([syntheticRecord("srv3", T0 + 30 * STEP, healthyValues(T0 + 30 * STEP, rng(1)))]);
    const again = await view.fullJson();
    expect(again).not.toBe(json);
    expect(JSON.parse(again).predictions.srv3.last_seen).toBe("2025-01-15T02:30:00");
  });

  it("streams the map while it is built: a reader gets the first slices before the last is serialised", async () => {
    const m = fleet(5, 200);
    const view = new FleetPredictionsView(m, 10);
    const map = view.fullMap();
    const stream = map.stream();
    const chunks: Buffer[] = [];
    let firstWhileBuilding = false;
    stream.on("data", (c: Buffer) => {
      if (chunks.length === 0) firstWhileBuilding = !map.done;
      chunks.push(c);
    });
    await new Promise((resolve, reject) => stream.on("end", resolve).on("error", reject));
    expect(firstWhileBuilding).toBe(true);
    expect(chunks.length).toBeGreaterThan(5);
    const whole = Buffer.concat(chunks);
    expect(whole.equals(Buffer.from(JSON.stringify(m.predictions())))).toBe(true);
    // A reader that starts once the map is built reads the same bytes, and a slow one too.
    const again: Buffer[] = [];
    for await (const c of view.fullMap().stream()) again.push(c as Buffer);
    expect(Buffer.concat(again).equals(whole)).toBe(true);
  });

  it("keeps readers of the build in progress when records arrive meanwhile; the next read builds again", async () => {
    const m = fleet(5, 200);
    const view = new FleetPredictionsView(m, 10);
    const first = view.fullMap();
    m.ingest([syntheticRecord("srv3", T0 + 5 * STEP, healthyValues(T0 + 5 * STEP, rng(1)))]);
    expect(view.fullMap()).toBe(first);
    await first.whole();
    const second = view.fullMap();
    expect(second).not.toBe(first);
    expect(JSON.parse((await second.whole()).toString()).predictions.srv3.last_seen).toBe("2025-01-15T00:25:00");
  });

  it("does not keep a failed build: its readers get the error, the next read builds again", async () => {
    const m = fleet(5, 200);
    let failing = true;
    const flaky = new Proxy(m, {
      get(target, key, receiver) {
        if (key === "predictionLengthAt" && failing)
          return (i: number) => {
            if (i === 120) throw new Error("serialisation failed");
            return target.predictionLengthAt(i);
          };
        const v = Reflect.get(target, key, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const view = new FleetPredictionsView(flaky, 10);
    const first = view.fullMap();
    await expect(first.whole()).rejects.toThrow("serialisation failed");
    failing = false;
    const second = view.fullMap();
    expect(second).not.toBe(first);
    expect((await second.whole()).equals(Buffer.from(JSON.stringify(m.predictions())))).toBe(true);
  });

  it("lets other work run between slices", async () => {
    const m = fleet(5, 200);
    const view = new FleetPredictionsView(m, 10);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const pending = view.fullJson();
    let done = false;
    void pending.then(() => {
      done = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    await pending;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });

  it("pages through every server once with next_cursor, and filters by risk and name", () => {
    const m = fleet();
    const view = new FleetPredictionsView(m);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const p = view.page({ limit: 15, ...(cursor ? { cursor } : {}) });
      expect(p.count).toBe(Object.keys(p.predictions).length);
      expect(p.summary.total_servers).toBe(40);
      seen.push(...Object.keys(p.predictions));
      cursor = p.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => `srv${i}`));

    const full = m.predictions().predictions;
    const risky = Object.entries(full)
      .filter(([, p]) => p.risk_score >= 50)
      .map(([n]) => n);
    expect(risky.length).toBeGreaterThan(0);
    expect(risky.length).toBeLessThan(40);
    const filtered = view.page({ risk_min: 50, limit: 1000 });
    expect(Object.keys(filtered.predictions)).toEqual(risky);
    expect(filtered.next_cursor).toBeNull();
    const top = risky[0] as string;
    expect(filtered.predictions[top]).toEqual(full[top]);

    const named = view.page({ server_id: "srv5,nope,srv2,srv5" });
    expect(Object.keys(named.predictions)).toEqual(["srv5", "srv2"]);
    const first = view.page({ server_id: "srv1,srv2,srv3", limit: 2 });
    expect(Object.keys(first.predictions)).toEqual(["srv1", "srv2"]);
    expect(
      view.page({ server_id: "srv1,srv2,srv3", limit: 2, cursor: first.next_cursor ?? "" }).predictions,
    ).toHaveProperty("srv3");
  });

  it("summary view is the payload without the map, its alerts capped at alerts_limit (riskiest first)", () => {
    const m = fleet();
    const view = new FleetPredictionsView(m);
    const { predictions: _, ...rest } = m.predictions();
    const total = rest.summary.warning + rest.summary.critical;
    expect(total).toBeGreaterThan(1);
    const all = JSON.parse(view.summaryJson(10_000));
    expect(all).toEqual({ ...rest, alerts_total: total });
    expect(all.alerts.length).toBe(total);
    const capped = JSON.parse(view.summaryJson(1));
    expect(capped.alerts).toEqual([rest.alerts[0]]);
    expect(capped.alerts_total).toBe(total);
    expect(capped.summary).toEqual(rest.summary);
    expect(JSON.parse(view.summaryJson(0)).alerts).toEqual([]);
    // Repeated reads of one state share the string; a new record builds it again.
    expect(view.summaryJson(1)).toBe(view.summaryJson(1));
  });
});
