import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AS_DEFAULT, AS_P2 } from "../test-inject-app.js";
import { injectMonitorApp, metricRecord } from "../test-monitor-app.js";

/**
 * Seed 004 live routes in-process over a real monitor. The monitor is one fleet per server, not
 * per project yet, so any valid key reads the same fleet.
 */

let t: Awaited<ReturnType<typeof injectMonitorApp>>;
beforeAll(async () => {
  t = await injectMonitorApp();
});
afterAll(() => t.close());

describe("monitor routes (inject)", () => {
  it("feeds records and reads status, predictions, alerts and explanations", async () => {
    const records = Array.from({ length: 12 }, (_, i) => metricRecord("ppweb001", i));
    const feed = await t.app.inject({ method: "POST", url: "/feed/data", headers: AS_DEFAULT, payload: { records } });
    expect(feed.statusCode).toBe(200);
    expect(feed.json()).toMatchObject({ records_received: 12 });
    const status = await t.app.inject({ url: "/status" }); // public, as seed 004 has it
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ servers_tracked: 1 });
    const predictions = await t.app.inject({ url: "/predictions/current", headers: AS_P2 });
    expect(predictions.statusCode).toBe(200);
    const alerts = await t.app.inject({ url: "/alerts/active", headers: AS_DEFAULT });
    expect(alerts.json()).toMatchObject({ count: expect.any(Number) });
    const unknown = await t.app.inject({ url: "/explain/nope", headers: AS_DEFAULT });
    expect(unknown.statusCode).toBe(404);
  });

  it("refuses the keyed routes without a key (401)", async () => {
    for (const url of ["/predictions/current", "/alerts/active", "/explain/ppweb001"]) {
      expect((await t.app.inject({ url })).statusCode).toBe(401);
    }
    expect((await t.app.inject({ method: "POST", url: "/feed/data", payload: { records: [] } })).statusCode).toBe(401);
  });

  it("answers a bad feed with a 422 naming the field", async () => {
    const empty = await t.app.inject({
      method: "POST",
      url: "/feed/data",
      headers: AS_DEFAULT,
      payload: { records: [] },
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().detail[0].loc).toEqual(["body", "records"]);
    const bad = { ...metricRecord("ppweb001", 0), cpu_user_pct: "lots" };
    const field = await t.app.inject({
      method: "POST",
      url: "/feed/data",
      headers: AS_DEFAULT,
      payload: { records: [bad] },
    });
    expect(field.statusCode).toBe(422);
    expect(field.json().detail[0].loc).toEqual(["body", "records", 0, "cpu_user_pct"]);
  });
});
