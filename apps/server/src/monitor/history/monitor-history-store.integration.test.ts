import type { MetricRecord } from "@aegis/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../../testing/test-databases.js";
import type { AlertEvent, FleetSummary } from "../monitor-types.js";
import { MonitorHistoryStore } from "./monitor-history-store.js";

const T0 = Date.parse("2025-01-15T08:00:00Z");
/** Data time as seed 004 writes it (and the store answers it): UTC, no offset, to the second. */
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString().slice(0, 19);

function record(server: string, minutes: number, cpu = 25.3): MetricRecord {
  return {
    timestamp: at(minutes),
    server_name: server,
    status: "healthy",
    cpu_user_pct: cpu,
    cpu_sys_pct: 8.2,
    cpu_iowait_pct: 2.1,
    cpu_idle_pct: 64.4,
    java_cpu_pct: 15.5,
    mem_used_pct: 72.1,
    swap_used_pct: 5.2,
    disk_usage_pct: 45.8,
    net_in_mb_s: 12.5,
    net_out_mb_s: 8.3,
    back_close_wait: 2,
    front_close_wait: 1,
    load_average: 2.5,
    uptime_days: 25,
  };
}

function event(
  server: string,
  minutes: number,
  type: AlertEvent["event_type"],
  previous: AlertEvent["previous_level"],
  next: AlertEvent["new_level"],
  risk: number,
  message: string | null = null,
): AlertEvent {
  return {
    timestamp: at(minutes),
    server_name: server,
    profile: "database",
    event_type: type,
    previous_level: previous,
    new_level: next,
    risk_score: risk,
    message,
  };
}

const fleet = (health: number, critical = 0): FleetSummary => ({
  total_servers: 10,
  critical,
  warning: 1,
  degraded: 0,
  healthy: 9 - critical,
  fleet_health: health,
  prob_30m: 0.1,
  prob_8h: 0.3,
});

describe.each(testDatabaseKinds())("monitor history store on %s", (kind) => {
  let t: TestDatabase;
  afterEach(async () => t?.cleanup());

  it("resolves every open event of an episode with its duration, summarises and filters by range", async () => {
    t = await freshDatabase(kind);
    const h = new MonitorHistoryStore(t.database.db);
    // ppdb001: raised (0) → escalated to critical (30) → resolved (75). web01: warning (10) → resolved (40).
    await h.appendAlertEvents([
      event("ppdb001", 0, "raised", "healthy", "warning", 65),
      event("web01", 10, "raised", "healthy", "warning", 62),
    ]);
    await h.appendAlertEvents([
      event("ppdb001", 30, "escalated", "warning", "critical", 85.3),
      event("web01", 40, "resolved", "warning", "healthy", 30),
    ]);
    await h.appendAlertEvents([event("ppdb001", 75, "resolved", "critical", "healthy", 20)]);
    // A new episode after the resolution stays open.
    await h.appendAlertEvents([event("ppdb001", 90, "raised", "healthy", "degraded", 55)]);

    const now = new Date(T0 + 100 * 60_000);
    const alerts = await h.alerts("8h", now);
    expect(alerts.map((a) => [a.server_name, a.event_type, a.resolved_at, a.resolution_duration_minutes])).toEqual([
      ["ppdb001", "raised", at(75), 75],
      ["web01", "raised", at(40), 30],
      ["ppdb001", "escalated", at(75), 45],
      ["web01", "resolved", null, null],
      ["ppdb001", "resolved", null, null],
      ["ppdb001", "raised", null, null],
    ]);
    expect((await h.alerts("8h", now, "web01")).length).toBe(2);
    // 30m before minute 100 is minute 70 onwards.
    expect((await h.alerts("30m", now)).map((a) => a.timestamp)).toEqual([at(75), at(90)]);

    await h.appendSnapshot(fleet(80), at(0));
    await h.appendSnapshot(fleet(90), at(80));
    const summary = await h.summary("8h", now);
    expect(summary).toEqual({
      total_alerts: 4,
      alerts_by_level: { critical: 1, warning: 2, degraded: 1 },
      // ppdb001's episode took 75 minutes, web01's 30.
      avg_resolution_time_minutes: 52.5,
      // web01 resolved without reaching critical; ppdb001 escalated; the last one is still open.
      incidents_prevented: 1,
      fleet_health_avg: 85,
    });
    const recent = await h.summary("30m", now);
    expect(recent).toMatchObject({ total_alerts: 1, incidents_prevented: 0, fleet_health_avg: 90 });
    expect(await h.summary("1h", new Date(T0 + 5 * 24 * 3600_000))).toEqual({
      total_alerts: 0,
      alerts_by_level: { critical: 0, warning: 0, degraded: 0 },
      avg_resolution_time_minutes: null,
      incidents_prevented: 0,
      fleet_health_avg: null,
    });

    const env = await h.environment("1h", now);
    expect(env).toEqual([
      {
        timestamp: at(80),
        total_servers: 10,
        critical_count: 0,
        warning_count: 1,
        degraded_count: 0,
        healthy_count: 9,
        fleet_health: 90,
        prob_30m: 0.1,
        prob_8h: 0.3,
      },
    ]);
  });

  it("computes time in level, risk and trend from the event timeline", async () => {
    t = await freshDatabase(kind);
    const h = new MonitorHistoryStore(t.database.db);
    // Seen from minute 0 (first sample); warning at 60–90, critical at 90–120, healthy after.
    await h.appendSamples([record("db1", 0)]);
    await h.appendAlertEvents([
      event("db1", 60, "raised", "healthy", "warning", 70),
      event("db1", 90, "escalated", "warning", "critical", 90),
      event("db1", 120, "resolved", "critical", "healthy", 10),
    ]);
    const now = new Date(T0 + 240 * 60_000);
    // 1d window, but the server was first seen at minute 0: a 240-minute observed window.
    const s = await h.server("db1", "1d", now);
    expect(s).toEqual({
      server_name: "db1",
      alert_count: 2,
      // (30·70 + 30·90 + 120·10) / 240
      avg_risk_score: 25,
      max_risk_score: 90,
      time_in_warning_pct: 12.5,
      time_in_critical_pct: 12.5,
      // First half (0–120) ≈ 40, second half 10.
      risk_trend: "improving",
    });
    // Window 100–160: critical carried in (risk 90) until the resolution at 120, healthy after.
    const late = await h.server("db1", "1h", new Date(T0 + 160 * 60_000));
    expect(late).toMatchObject({
      alert_count: 0,
      time_in_critical_pct: 33.3,
      time_in_warning_pct: 0,
      max_risk_score: 90,
    });
    const mid = await h.server("db1", "1h", new Date(T0 + 130 * 60_000));
    // Window 70–130: warning 70–90, critical 90–120, healthy 120–130.
    expect(mid).toMatchObject({ time_in_warning_pct: 33.3, time_in_critical_pct: 50, max_risk_score: 90 });
    expect(await h.server("nobody", "1h", now)).toEqual({
      server_name: "nobody",
      alert_count: 0,
      avg_risk_score: 0,
      max_risk_score: 0,
      time_in_warning_pct: 0,
      time_in_critical_pct: 0,
      risk_trend: "stable",
    });
    const rising = new MonitorHistoryStore(t.database.db, "other-project");
    await rising.appendSamples([record("db2", 0)]);
    await rising.appendAlertEvents([event("db2", 50, "raised", "healthy", "critical", 95)]);
    expect((await rising.server("db2", "1h", new Date(T0 + 60 * 60_000))).risk_trend).toBe("degrading");
    expect((await h.alerts("1w", now)).every((a) => a.server_name === "db1")).toBe(true);
  });

  it("exports quoted CSV with the seed's file name", async () => {
    t = await freshDatabase(kind);
    const h = new MonitorHistoryStore(t.database.db);
    await h.appendAlertEvents([
      event("db,1", 0, "raised", "healthy", "warning", 65.5, 'Memory "exhaustion"\npredicted'),
      event("=cmd", 1, "raised", "healthy", "degraded", 51, null),
    ]);
    await h.appendSnapshot(fleet(88.9, 1), at(2));
    const now = new Date("2025-01-15T10:30:00.123Z");
    const alerts = await h.exportCsv("alerts", "1d", now);
    expect(alerts.filename).toBe("argus_alerts_1d_20250115_103000.csv");
    expect(alerts.csv_data).toBe(
      "timestamp,server_name,profile,event_type,previous_level,new_level,risk_score,message,resolved_at,resolution_duration_minutes\r\n" +
        `${at(0)},"db,1",database,raised,healthy,warning,65.5,"Memory ""exhaustion""\npredicted",,\r\n` +
        `${at(1)},'=cmd,database,raised,healthy,degraded,51,,,\r\n`,
    );
    const env = await h.exportCsv("environment", "1w", now);
    expect(env.filename).toBe("argus_environment_1w_20250115_103000.csv");
    expect(env.csv_data.split("\r\n")[1]).toBe(`${at(2)},10,1,1,0,8,88.9,0.1,0.3`);
  });

  it("stores thousands of samples in one call, reads them back in data-time order, newest-limited, and prunes", async () => {
    t = await freshDatabase(kind);
    // As the monitor builds it: on PGlite the samples go as binary COPY, a replayed batch through the insert.
    const h = new MonitorHistoryStore(t.database.db, undefined, t.database.copyFrom);
    const servers = Array.from({ length: 20 }, (_, i) => `srv${String(i).padStart(2, "0")}`);
    const batch = Array.from({ length: 600 }, (_, m) => servers.map((s) => record(s, m, (m % 100) + 0.3))).flat();
    await h.appendSamples(batch); // 12 000 rows
    await h.appendSamples(batch.slice(0, 10)); // replayed: skipped
    const all: MetricRecord[] = [];
    for await (const page of h.loadSamples()) all.push(...page);
    expect(all.length).toBe(12_000);
    expect(all[0]).toEqual({ ...record("srv00", 0, 0.3), timestamp: at(0) });
    expect(all[12_000 - 1]?.cpu_user_pct).toBe(99.3);
    for (let i = 1; i < all.length; i++) {
      const a = all[i - 1] as MetricRecord;
      const b = all[i] as MetricRecord;
      expect(a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.server_name < b.server_name)).toBe(true);
    }
    const newest: MetricRecord[] = [];
    for await (const page of h.loadSamples({ limit: 30 })) newest.push(...page);
    expect(newest.map((r) => `${r.timestamp} ${r.server_name}`)).toEqual(
      all.slice(-30).map((r) => `${r.timestamp} ${r.server_name}`),
    );
    let since = 0;
    for await (const page of h.loadSamples({ since: new Date(T0 + 590 * 60_000) })) since += page.length;
    expect(since).toBe(200);

    await h.appendAlertEvents([event("srv00", 10, "raised", "healthy", "warning", 61)]);
    await h.appendSnapshot(fleet(90), at(10));
    expect(await h.prune(new Date(T0 + 100 * 60_000))).toEqual({ samples: 2000, alertEvents: 1, snapshots: 1 });
    let left = 0;
    for await (const page of h.loadSamples()) left += page.length;
    expect(left).toBe(10_000);
  });
});
