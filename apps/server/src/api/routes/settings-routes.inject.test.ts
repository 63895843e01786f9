import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { RunbookStore } from "../../store/runbook-store.js";
import { settingsBackups } from "../../store/schema-oncall.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../../testing/test-databases.js";
import { AS_DEFAULT, AS_P2, injectApp } from "../test-inject-app.js";
import { oncallDeps } from "./test-oncall-deps.js";

describe.each(testDatabaseKinds())("settings routes on %s", (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
    await t?.cleanup();
  });

  async function start() {
    t = await freshDatabase(kind);
    app = await injectApp(oncallDeps(t.database));
  }
  const get = (url: string) => app.inject({ url, headers: AS_DEFAULT });
  const send = (method: "PUT" | "POST", url: string, payload?: unknown, headers = AS_DEFAULT) =>
    app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });

  it("answers defaults in seed 003's envelope, updates sections, and refuses bad values and members", async () => {
    await start();
    const initial = await get("/api/v1/settings");
    expect(initial.json()).toEqual({
      success: true,
      message: "Settings retrieved",
      data: {
        general: { organization_name: null, time_zone: "UTC", public_url: null },
        notifications: { enabled: true, default_channels: [], routes: {} },
        automation: { mode: "auto", per_action: {} },
      },
    });
    const auto = await send("PUT", "/api/v1/settings/automation", {
      mode: "approve",
      per_action: { SCALE_UP: "auto" },
    });
    expect(auto.json()).toMatchObject({ success: true, data: { mode: "approve", per_action: { SCALE_UP: "auto" } } });
    const notif = await send("PUT", "/api/v1/settings/notifications", {
      default_channels: ["slack-ops"],
      routes: { approval_requested: ["teams-leads"] },
    });
    expect(notif.json().data).toEqual({
      enabled: true,
      default_channels: ["slack-ops"],
      routes: { approval_requested: ["teams-leads"] },
    });
    const all = await send("PUT", "/api/v1/settings", {
      general: { organization_name: "Acme", time_zone: "Europe/Paris" },
    });
    expect(all.json().data).toMatchObject({
      general: { organization_name: "Acme", time_zone: "Europe/Paris" },
      automation: { mode: "approve" },
      notifications: { default_channels: ["slack-ops"] },
    });

    const bad = await send("PUT", "/api/v1/settings/automation", { mode: "yolo" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ success: false, error: expect.stringContaining("mode") });
    const badAction = await send("PUT", "/api/v1/settings/automation", { per_action: { NOOP: "auto" } });
    expect(badAction.statusCode).toBe(400);
    const member = await send("PUT", "/api/v1/settings/automation", { mode: "auto" }, AS_P2);
    expect(member.statusCode).toBe(403);
    expect((await get("/api/v1/settings/automation")).json().data.mode).toBe("approve");
  });

  it("lists the page templates escalation renders", async () => {
    await start();
    const res = (await get("/api/v1/settings/templates")).json();
    expect(res.success).toBe(true);
    expect(res.data.items.map((i: { id: string }) => i.id)).toEqual(["escalation_page", "approval_requested"]);
    expect(res.data.items[0].variables).toContain("reference");
  });

  it("backs up and restores configuration; a corrupted backup is refused and changes nothing", async () => {
    await start();
    await send("PUT", "/api/v1/settings/automation", { mode: "suggest" });
    const sched = await send("POST", "/api/v1/oncall/schedules", {
      name: "Primary",
      time_zone: "UTC",
      layers: [{ name: "l", users: ["alice"], rotation_type: "daily", start_date: "2026-01-01" }],
    });
    await send("POST", "/api/v1/oncall/escalation-policies", {
      name: "Default",
      levels: [{ delay_minutes: 5, targets: [{ type: "schedule", id: sched.json().id }] }],
    });
    const runbooks = new RunbookStore();
    const rb = {
      id: "db/failover",
      title: "Fail over",
      service: "db",
      body: "1. promote the replica",
      url: null,
      tags: [],
    };
    await runbooks.upsert(t.database.db, "default", rb);
    const backup = await send("POST", "/api/v1/settings/backup");
    expect(backup.statusCode).toBe(201);
    const info = backup.json().data;
    expect(info).toMatchObject({
      contents: { oncall_schedules: 1, escalation_policies: 1, runbooks: 1 },
      created_by: "api_key:admin",
    });
    expect(info.checksum).toMatch(/^[0-9a-f]{64}$/);
    const listed = (await get("/api/v1/settings/backups")).json();
    expect(listed).toMatchObject({ success: true, data: { total: 1, items: [{ backup_id: info.backup_id }] } });

    // Change everything, then restore.
    await send("PUT", "/api/v1/settings/automation", { mode: "auto" });
    await runbooks.delete(t.database.db, "default", rb.id);
    const policies = (await get("/api/v1/oncall/escalation-policies")).json().items;
    await app.inject({
      method: "DELETE",
      url: `/api/v1/oncall/escalation-policies/${policies[0].id}`,
      headers: AS_DEFAULT,
    });
    await send("POST", "/api/v1/oncall/schedules", {
      name: "Extra",
      time_zone: "UTC",
      layers: [{ name: "l", users: ["zed"], rotation_type: "daily", start_date: "2026-01-01" }],
    });
    const restored = await send("POST", `/api/v1/settings/restore/${info.backup_id}`);
    expect(restored.statusCode).toBe(200);
    expect((await get("/api/v1/settings/automation")).json().data.mode).toBe("suggest");
    expect((await get("/api/v1/oncall/schedules")).json().items.map((s: { name: string }) => s.name)).toEqual([
      "Primary",
    ]);
    expect((await get("/api/v1/oncall/escalation-policies")).json().total).toBe(1);
    expect((await runbooks.get(t.database.db, "default", rb.id))?.body).toBe("1. promote the replica");

    // Tamper with the stored payload: the checksum no longer matches.
    await send("PUT", "/api/v1/settings/automation", { mode: "approve" });
    await t.database.db.update(settingsBackups).set({
      payload: (await t.database.db.select().from(settingsBackups))[0]?.payload.replace('"suggest"', '"auto"') ?? "",
    });
    const corrupted = await send("POST", `/api/v1/settings/restore/${info.backup_id}`);
    expect(corrupted.statusCode).toBe(400);
    expect(corrupted.json()).toMatchObject({
      success: false,
      error: expect.stringContaining("checksum does not match"),
      details: { backup_id: info.backup_id },
    });
    expect((await get("/api/v1/settings/automation")).json().data.mode).toBe("approve");
    expect((await send("POST", "/api/v1/settings/restore/bk_missing")).statusCode).toBe(404);
    expect((await send("POST", `/api/v1/settings/restore/${info.backup_id}`, undefined, AS_P2)).statusCode).toBe(403);
  });
});
