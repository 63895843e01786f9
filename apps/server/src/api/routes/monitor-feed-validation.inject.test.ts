import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BAD_FEED_BODIES, good } from "../../monitor/feed-body-fixtures.js";
import { AS_DEFAULT } from "../test-inject-app.js";
import { injectMonitorApp } from "../test-monitor-app.js";

/** `POST /feed/data` validation: the precompiled fast path against the zod schema's answers. */

let t: Awaited<ReturnType<typeof injectMonitorApp>>;
beforeAll(async () => {
  t = await injectMonitorApp({ AEGIS_MONITOR_RATE_LIMITS: "off" });
});
afterAll(() => t.close());

describe("feed validation (inject)", () => {
  it("answers bad feeds exactly as the schema path does (the fast path never changes the 422)", async () => {
    const post = (payload: unknown) =>
      t.app.inject({
        method: "POST",
        url: "/feed/data",
        headers: { ...AS_DEFAULT, "content-type": "application/json" },
        payload: JSON.stringify(payload),
      });
    let compared = 0;
    for (const [label, body] of Object.entries(BAD_FEED_BODIES)) {
      const fast = await post(body);
      expect(fast.statusCode, label).toBe(422);
      expect(fast.json().detail[0].loc[0], label).toBe("body");
      if (typeof body !== "object" || body === null || Array.isArray(body)) continue;
      // An extra top-level key keeps the body off the fast path: the zod schema alone answers it.
      const slow = await post({ ...body, schema_path: true });
      expect(fast.json(), label).toEqual(slow.json());
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
    // A clean body and the same body on the schema path are accepted alike.
    const records = [good({ server_name: "fastpath01" })];
    const a = await post({ records });
    const b = await post({ records: [good({ server_name: "fastpath02" })], schema_path: true });
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(Object.keys(a.json())).toEqual(Object.keys(b.json()));
  });
});
