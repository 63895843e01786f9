import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AS_DEFAULT } from "../test-inject-app.js";
import { injectMonitorApp, metricRecord } from "../test-monitor-app.js";

/** Seed 004 `/historical/*` in-process over a real monitor and PGlite history. */

let t: Awaited<ReturnType<typeof injectMonitorApp>>;
beforeAll(async () => {
  t = await injectMonitorApp();
  const records = Array.from({ length: 6 }, (_, i) => metricRecord("ppweb001", i));
  await t.app.inject({ method: "POST", url: "/feed/data", headers: AS_DEFAULT, payload: { records } });
});
afterAll(() => t.close());

describe("monitor history routes (inject)", () => {
  it("reads the summary, alerts, a server, the environment and a CSV export", async () => {
    for (const url of [
      "/historical/summary?time_range=1d",
      "/historical/alerts",
      "/historical/server/ppweb001",
      "/historical/environment?time_range=8h",
      "/historical/export/alerts",
    ]) {
      const res = await t.app.inject({ url, headers: AS_DEFAULT });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    }
  });

  it("refuses without a key (401)", async () => {
    expect((await t.app.inject({ url: "/historical/summary" })).statusCode).toBe(401);
  });

  it("answers bad input with a 422 naming the field", async () => {
    const range = await t.app.inject({ url: "/historical/summary?time_range=2y", headers: AS_DEFAULT });
    expect(range.statusCode).toBe(422);
    expect(range.json().detail[0].loc).toEqual(["query", "time_range"]);
    const table = await t.app.inject({ url: "/historical/export/secrets", headers: AS_DEFAULT });
    expect(table.statusCode).toBe(422);
    expect(table.json().detail[0].loc).toEqual(["path", "table"]);
  });
});
