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

  it("answers an invalid API key on /predictions/current with seed 004's {detail} body", async () => {
    const r = await t.app.inject({ url: "/predictions/current", headers: { "x-api-key": "not-a-key" } });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({ detail: expect.any(String) });
  });

  it("reloads the latest model with no body: the baseline saved at first start", async () => {
    const r = await t.app.inject({ method: "POST", url: "/admin/reload-model", headers: AS_DEFAULT });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ success: true, model: "argus_model_baseline" });
  });

  it("serves the summary view and pages of the map, filtered by risk and name", async () => {
    const servers = ["pgpage01", "pgpage02", "pgpage03", "pgpage04", "pgpage05"];
    const records = servers.flatMap((s) => Array.from({ length: 24 }, (_, i) => metricRecord(s, i)));
    expect(
      (await t.app.inject({ method: "POST", url: "/feed/data", headers: AS_DEFAULT, payload: { records } })).statusCode,
    ).toBe(200);
    const fresh = await t.app.inject({ url: "/predictions/current", headers: AS_DEFAULT });
    const full = fresh.json();
    const names = Object.keys(full.predictions);
    // A map built in one slice is sent with its length; the cached body again; HEAD without it.
    expect(fresh.headers["content-length"]).toBe(String(Buffer.byteLength(fresh.body)));
    const cached = await t.app.inject({ url: "/predictions/current", headers: AS_DEFAULT });
    expect(cached.body).toBe(fresh.body);
    expect(cached.headers["content-length"]).toBe(String(Buffer.byteLength(fresh.body)));
    const head = await t.app.inject({ method: "HEAD", url: "/predictions/current", headers: AS_DEFAULT });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe("");
    expect(names).toEqual(expect.arrayContaining(servers));

    const summary = (await t.app.inject({ url: "/predictions/current?view=summary", headers: AS_DEFAULT })).json();
    const capped = full.alerts.slice(0, 100);
    const alerts_total = full.alerts.length;
    expect(summary).toEqual({ summary: full.summary, alerts: capped, alerts_total, timestamp: full.timestamp });
    const one = (
      await t.app.inject({ url: "/predictions/current?view=summary&alerts_limit=1", headers: AS_DEFAULT })
    ).json();
    expect(one).toEqual({
      summary: full.summary,
      alerts: full.alerts.slice(0, 1),
      alerts_total,
      timestamp: full.timestamp,
    });

    const seen: string[] = [];
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const r = await t.app.inject({
        url: `/predictions/current?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        headers: AS_DEFAULT,
      });
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.count).toBe(Object.keys(body.predictions).length);
      expect(body.summary).toEqual(full.summary);
      for (const [name, p] of Object.entries(body.predictions)) expect(p).toEqual(full.predictions[name]);
      seen.push(...Object.keys(body.predictions));
      if (body.next_cursor === null) break;
      cursor = body.next_cursor;
    }
    expect(seen).toEqual(names);

    const named = await t.app.inject({ url: "/predictions/current?server_id=pgpage02,pgpage04", headers: AS_DEFAULT });
    expect(Object.keys(named.json().predictions)).toEqual(["pgpage02", "pgpage04"]);
    const none = await t.app.inject({ url: "/predictions/current?risk_min=100", headers: AS_DEFAULT });
    expect(Object.values(none.json().predictions).every((p) => (p as { risk_score: number }).risk_score >= 100)).toBe(
      true,
    );
  });

  it("names the bad query parameter of /predictions/current (422)", async () => {
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=abc", "limit"],
      ["cursor=x1", "cursor"],
      ["risk_min=101", "risk_min"],
      ["view=everything", "view"],
      ["view=summary&alerts_limit=-1", "alerts_limit"],
    ] as const) {
      const r = await t.app.inject({ url: `/predictions/current?${query}`, headers: AS_DEFAULT });
      expect(r.statusCode).toBe(422);
      expect(r.json().detail[0].loc).toEqual(["query", field]);
    }
  });
});
