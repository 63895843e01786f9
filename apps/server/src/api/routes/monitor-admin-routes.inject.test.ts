import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AS_DEFAULT } from "../test-inject-app.js";
import { injectMonitorApp } from "../test-monitor-app.js";

/** Seed 004 `/admin/*` in-process over a real monitor (models, training status; no training run here). */

let t: Awaited<ReturnType<typeof injectMonitorApp>>;
beforeAll(async () => {
  t = await injectMonitorApp();
});
afterAll(() => t.close());

describe("monitor admin routes (inject)", () => {
  it("lists models and reports training state", async () => {
    const models = await t.app.inject({ url: "/admin/models", headers: AS_DEFAULT });
    expect(models.statusCode, models.body).toBe(200);
    for (const url of ["/admin/training-status", "/admin/training-stats"]) {
      const res = await t.app.inject({ url, headers: AS_DEFAULT });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    }
  });

  it("refuses without a key (401)", async () => {
    expect((await t.app.inject({ url: "/admin/models" })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "POST", url: "/admin/reload-model" })).statusCode).toBe(401);
  });

  it("answers bad input with a 4xx naming the field, never a 500", async () => {
    const path = await t.app.inject({
      method: "POST",
      url: "/admin/reload-model",
      headers: AS_DEFAULT,
      payload: { model_path: "" },
    });
    expect(path.statusCode).toBe(422);
    expect(path.json().detail[0].loc).toEqual(["body", "model_path"]);
  });
});
