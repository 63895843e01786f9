import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../../testing/test-databases.js";
import { AS_DEFAULT, AS_P2, injectApp } from "../test-inject-app.js";
import { oncallDeps } from "./test-oncall-deps.js";

const schedule = {
  name: "Platform primary",
  time_zone: "America/New_York",
  layers: [
    {
      name: "weekly",
      users: ["alice", "bob"],
      rotation_type: "weekly",
      handoff_time: "10:00",
      start_date: "2026-10-26",
    },
  ],
  overrides: [{ user: "carol", start: "2026-11-03T15:00:00Z", end: "2026-11-03T18:00:00Z", reason: "swap" }],
};

describe.each(testDatabaseKinds())("on-call routes on %s", (kind) => {
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

  it("creates a schedule and answers who is on call across the November DST switch", async () => {
    await start();
    const created = await app.inject({
      method: "POST",
      url: "/api/v1/oncall/schedules",
      headers: AS_DEFAULT,
      payload: schedule,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(created.json().overrides[0]).toMatchObject({ user: "carol", start: "2026-11-03T15:00:00.000Z" });

    const at = async (iso: string) =>
      (
        await app.inject({
          url: `/api/v1/oncall/schedules/${id}/on-call?at=${encodeURIComponent(iso)}`,
          headers: AS_DEFAULT,
        })
      ).json();
    // New York leaves DST on 2026-11-01: 10:00 EST is 15:00 UTC, 10:00 EDT was 14:00 UTC.
    expect((await at("2026-11-02T14:59:00Z")).user).toBe("alice");
    expect((await at("2026-11-02T15:00:00Z")).user).toBe("bob");
    expect(await at("2026-11-03T16:00:00Z")).toMatchObject({ user: "carol", shift: { source: "override" } });

    const shifts = await app.inject({
      url: `/api/v1/oncall/schedules/${id}/shifts?from=2026-10-26T00:00:00Z&to=2026-11-03T00:00:00Z`,
      headers: AS_DEFAULT,
    });
    expect(shifts.json().shifts.map((s: { user: string; start: string }) => [s.user, s.start])).toEqual([
      ["alice", "2026-10-26T14:00:00.000Z"],
      ["bob", "2026-11-02T15:00:00.000Z"],
    ]);
    const added = await app.inject({
      method: "POST",
      url: `/api/v1/oncall/schedules/${id}/overrides`,
      headers: AS_DEFAULT,
      payload: { id: "swap-1", user: "dave", start: "2026-11-02T14:00:00-05:00", end: "2026-11-02T16:00:00-05:00" },
    });
    expect(added.statusCode).toBe(201);
    expect((await at("2026-11-02T20:00:00Z")).user).toBe("dave");
    const backwards = await app.inject({
      method: "POST",
      url: `/api/v1/oncall/schedules/${id}/overrides`,
      headers: AS_DEFAULT,
      payload: { user: "dave", start: "2026-11-02T16:00:00Z", end: "2026-11-02T15:00:00Z" },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error).toContain("end");
    const removed = await app.inject({
      method: "DELETE",
      url: `/api/v1/oncall/schedules/${id}/overrides/swap-1`,
      headers: AS_DEFAULT,
    });
    expect(removed.statusCode).toBe(204);
    expect((await at("2026-11-02T20:00:00Z")).user).toBe("bob");

    const now = await app.inject({ url: "/api/v1/oncall/now?at=2026-10-27T00:00:00Z", headers: AS_DEFAULT });
    expect(now.json().on_call).toEqual([expect.objectContaining({ schedule_id: id, user: "alice" })]);
    const view = await app.inject({ url: "/api/v1/settings/oncall-schedules", headers: AS_DEFAULT });
    expect(view.json()).toMatchObject({ success: true, data: { total: 1, items: [{ id, name: "Platform primary" }] } });
  });

  it("refuses bad input with a 400 naming the field, and writes from a member with 403", async () => {
    await start();
    const bad = await app.inject({
      method: "POST",
      url: "/api/v1/oncall/schedules",
      headers: AS_DEFAULT,
      payload: { ...schedule, time_zone: "Mars/Olympus" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ success: false });
    expect(bad.json().error).toContain("time_zone");
    const custom = await app.inject({
      method: "POST",
      url: "/api/v1/oncall/schedules",
      headers: AS_DEFAULT,
      payload: { ...schedule, layers: [{ ...schedule.layers[0], rotation_type: "custom" }] },
    });
    expect(custom.statusCode).toBe(400);
    expect(custom.json().error).toContain("layers.0.shift_length_hours");
    const member = await app.inject({
      method: "POST",
      url: "/api/v1/oncall/schedules",
      headers: AS_P2,
      payload: schedule,
    });
    expect(member.statusCode).toBe(403);
    expect(member.json()).toMatchObject({ success: false, request_id: expect.any(String) });
    const missing = await app.inject({ url: "/api/v1/oncall/schedules/nope", headers: AS_DEFAULT });
    expect(missing.statusCode).toBe(404);
  });

  it("keeps one escalation policy per service and checks schedule targets", async () => {
    await start();
    const sched = (
      await app.inject({ method: "POST", url: "/api/v1/oncall/schedules", headers: AS_DEFAULT, payload: schedule })
    ).json();
    const policy = (service: string | null, scheduleId = sched.id) => ({
      name: `policy ${service ?? "default"}`,
      service,
      repeat: 1,
      levels: [
        { delay_minutes: 5, targets: [{ type: "schedule", id: scheduleId }] },
        {
          delay_minutes: 15,
          targets: [
            { type: "user", id: "manager" },
            { type: "channel", id: "slack-ops" },
          ],
        },
      ],
    });
    const post = (body: unknown) =>
      app.inject({ method: "POST", url: "/api/v1/oncall/escalation-policies", headers: AS_DEFAULT, payload: body });
    const def = await post(policy(null));
    expect(def.statusCode).toBe(201);
    expect(def.json()).toMatchObject({ service: null, trigger: "incident_opened", repeat: 1 });
    expect((await post(policy("checkout"))).statusCode).toBe(201);
    const dup = await post(policy(null));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toContain("default policy already exists");
    const ghost = await post(policy("search", "no-such-schedule"));
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json().error).toContain("levels.0.targets.0.id");

    const list = await app.inject({ url: "/api/v1/settings/escalation-policies", headers: AS_DEFAULT });
    expect(list.json()).toMatchObject({ success: true, data: { total: 2 } });
    const del = await app.inject({
      method: "DELETE",
      url: `/api/v1/oncall/escalation-policies/${def.json().id}`,
      headers: AS_DEFAULT,
    });
    expect(del.statusCode).toBe(204);
    expect((await post(policy(null))).statusCode).toBe(201);
  });
});
