import { describe, expect, it } from "vitest";
import { OnCallResolver } from "./on-call-resolver.js";

const weeklyParis = {
  time_zone: "Europe/Paris",
  layers: [
    {
      name: "primary",
      users: ["alice", "bob"],
      rotation_type: "weekly" as const,
      handoff_time: "09:00",
      // A Monday; Paris leaves summer time on Sunday 2026-10-25 (03:00 CEST → 02:00 CET).
      start_date: "2026-10-12",
    },
  ],
  overrides: [],
};

describe("OnCallResolver", () => {
  it("hands a weekly Paris rotation off at 09:00 local on both sides of the autumn DST switch", () => {
    const r = new OnCallResolver(weeklyParis);
    // Before the switch 09:00 CEST is 07:00 UTC; after it 09:00 CET is 08:00 UTC.
    expect(r.at(new Date("2026-10-19T06:59:59Z"))?.user).toBe("alice");
    expect(r.at(new Date("2026-10-19T07:00:00Z"))?.user).toBe("bob");
    const bobShift = r.at(new Date("2026-10-22T12:00:00Z"));
    expect(bobShift).toMatchObject({ user: "bob", start: "2026-10-19T07:00:00.000Z", end: "2026-10-26T08:00:00.000Z" });
    // The week over the switch is 169 hours long: bob is still on call at 07:30 UTC on the 26th.
    expect(r.at(new Date("2026-10-26T07:30:00Z"))?.user).toBe("bob");
    expect(r.at(new Date("2026-10-26T08:00:00Z"))?.user).toBe("alice");
    expect(r.at(new Date("2026-11-02T07:59:00Z"))?.user).toBe("alice");
    expect(r.at(new Date("2026-11-02T08:00:00Z"))?.user).toBe("bob");
  });

  it("hands a daily New York rotation off at 08:30 local across the spring switch", () => {
    const r = new OnCallResolver({
      time_zone: "America/New_York",
      layers: [
        {
          name: "day",
          users: ["a", "b", "c"],
          rotation_type: "daily",
          handoff_time: "08:30",
          start_date: "2027-03-12",
        },
      ],
      overrides: [],
    });
    // 2027-03-14 02:00 EST → 03:00 EDT. 08:30 EST = 13:30 UTC, 08:30 EDT = 12:30 UTC.
    expect(r.at(new Date("2027-03-13T13:30:00Z"))?.user).toBe("b");
    expect(r.at(new Date("2027-03-14T12:29:00Z"))?.user).toBe("b");
    expect(r.at(new Date("2027-03-14T12:30:00Z"))?.user).toBe("c");
    expect(r.at(new Date("2027-03-15T12:30:00Z"))?.user).toBe("a");
  });

  it("is empty before a layer starts, lets a higher layer win, and an override win over both", () => {
    const r = new OnCallResolver({
      time_zone: "UTC",
      layers: [
        { name: "base", users: ["base1"], rotation_type: "daily", handoff_time: "00:00", start_date: "2026-01-01" },
        {
          name: "holiday",
          users: ["h1", "h2"],
          rotation_type: "custom",
          shift_length_hours: 12,
          handoff_time: "06:00",
          start_date: "2026-02-01",
        },
      ],
      overrides: [{ id: "o1", user: "carol", start: "2026-02-01T10:00:00Z", end: "2026-02-01T11:00:00Z" }],
    });
    expect(r.at(new Date("2025-12-31T23:00:00Z"))).toBeNull();
    expect(r.at(new Date("2026-01-15T12:00:00Z"))?.user).toBe("base1");
    expect(r.at(new Date("2026-02-01T05:00:00Z"))?.user).toBe("base1");
    expect(r.at(new Date("2026-02-01T07:00:00Z"))?.user).toBe("h1");
    expect(r.at(new Date("2026-02-01T10:30:00Z"))).toMatchObject({
      user: "carol",
      source: "override",
      override_id: "o1",
    });
    expect(r.at(new Date("2026-02-01T18:00:00Z"))?.user).toBe("h2");
    const shifts = r.between(new Date("2026-02-01T00:00:00Z"), new Date("2026-02-01T20:00:00Z"));
    expect(shifts.map((s) => [s.user, s.start.slice(11, 16), s.end.slice(11, 16)])).toEqual([
      ["base1", "00:00", "06:00"],
      ["h1", "06:00", "10:00"],
      ["carol", "10:00", "11:00"],
      ["h1", "11:00", "18:00"],
      ["h2", "18:00", "20:00"],
    ]);
  });

  it("renders the DST week as one 169-hour shift", () => {
    const shifts = new OnCallResolver(weeklyParis).between(
      new Date("2026-10-19T00:00:00Z"),
      new Date("2026-11-02T12:00:00Z"),
    );
    expect(shifts.map((s) => [s.user, s.start, s.end])).toEqual([
      ["alice", "2026-10-19T00:00:00.000Z", "2026-10-19T07:00:00.000Z"],
      ["bob", "2026-10-19T07:00:00.000Z", "2026-10-26T08:00:00.000Z"],
      ["alice", "2026-10-26T08:00:00.000Z", "2026-11-02T08:00:00.000Z"],
      ["bob", "2026-11-02T08:00:00.000Z", "2026-11-02T12:00:00.000Z"],
    ]);
  });
});
