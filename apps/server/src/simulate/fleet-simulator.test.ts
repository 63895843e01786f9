import { MetricRecord } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { FAULT_KINDS, FleetSimulator, parseFaultKinds, type ScheduledFault } from "./fleet-simulator.js";
import { dailyShape } from "./profiles.js";

const run = (sim: FleetSimulator, ticks: number) => Array.from({ length: ticks }, () => sim.next());
const series = (ticks: MetricRecord[][], server: string) =>
  ticks.map((t) => t.find((r) => r.server_name === server) as MetricRecord);

describe("FleetSimulator", () => {
  it("names servers per profile and emits one record per server per tick, stepping data time", () => {
    const sim = new FleetSimulator({ servers: 20, seed: 3 });
    const names = sim.servers().map((s) => s.name);
    expect(names).toHaveLength(20);
    expect(new Set(names).size).toBe(20);
    for (const prefix of ["ppweb", "ppdb", "ppml", "ppcon", "ppetl", "pprisk"]) {
      expect(names.some((n) => new RegExp(`^${prefix}\\d{3}$`).test(n))).toBe(true);
    }
    expect(names).toContain("ppdb001");
    expect(sim.servers().find((s) => s.name === "ppdb001")?.profile).toBe("Database");
    const [a, b] = run(sim, 2) as [MetricRecord[], MetricRecord[]];
    expect(a).toHaveLength(20);
    expect(a[0]?.timestamp).toBe("2025-01-15T06:00:00");
    expect(b[0]?.timestamp).toBe("2025-01-15T06:05:00");
    const oneMin = new FleetSimulator({ servers: 1, stepMs: 60_000, start: "2025-03-01T00:00:00Z" });
    oneMin.next();
    expect(oneMin.next()[0]?.timestamp).toBe("2025-03-01T00:01:00");
  });

  it("is reproducible for a seed and differs across seeds; a server's data does not depend on fleet size", () => {
    const opts = { servers: 30, seed: 42, faultRatePerServerDay: 2 };
    const a = run(new FleetSimulator(opts), 200);
    const b = run(new FleetSimulator(opts), 200);
    expect(b).toEqual(a);
    const c = run(new FleetSimulator({ ...opts, seed: 43 }), 200);
    expect(c).not.toEqual(a);
    const big = run(new FleetSimulator({ ...opts, servers: 60 }), 200);
    expect(series(big, "ppdb001")).toEqual(series(a, "ppdb001"));
  });

  it("every record passes the wire contract, over days of data with every fault kind, outages and maintenance", () => {
    const sim = new FleetSimulator({
      servers: 60,
      seed: 7,
      faultRatePerServerDay: 3,
      maintenanceRatePerServerDay: 0.5,
      offlineRatePerServerDay: 0.5,
    });
    const statuses = new Set<string>();
    for (let t = 0; t < 3 * 288; t++) {
      for (const rec of sim.next()) {
        const parsed = MetricRecord.safeParse(rec);
        if (!parsed.success) throw new Error(`${JSON.stringify(rec)}: ${parsed.error.message}`);
        statuses.add(rec.status);
        const sum = rec.cpu_user_pct + rec.cpu_sys_pct + rec.cpu_iowait_pct + rec.cpu_idle_pct;
        expect(sum).toBeCloseTo(100, 6);
        expect(rec.java_cpu_pct).toBeLessThanOrEqual(rec.cpu_user_pct);
        expect(Number.isInteger(rec.back_close_wait) && Number.isInteger(rec.front_close_wait)).toBe(true);
      }
    }
    expect([...statuses].sort()).toEqual(
      ["critical_issue", "heavy_load", "healthy", "idle", "maintenance", "morning_spike", "offline", "recovery"].sort(),
    );
    const kinds = new Set(sim.faultLog().map((f) => f.kind));
    expect([...kinds].sort()).toEqual([...FAULT_KINDS].sort());
  });

  it("keeps metrics correlated: CPU parts sum to 100, java ≤ user on JVMs and 0 elsewhere, load tracks CPU", () => {
    const ticks = run(new FleetSimulator({ servers: 30, seed: 5, faultRatePerServerDay: 0 }), 288);
    const web = series(ticks, "ppweb001");
    const db = series(ticks, "ppdb001");
    expect(web.some((r) => r.java_cpu_pct > 0)).toBe(true);
    expect(db.every((r) => r.java_cpu_pct === 0)).toBe(true);
    // Load average follows busy CPU (strong positive correlation over a day).
    const busy = web.map((r) => 100 - r.cpu_idle_pct);
    expect(
      correlation(
        busy,
        web.map((r) => r.load_average),
      ),
    ).toBeGreaterThan(0.9);
    expect(
      correlation(
        web.map((r) => r.net_in_mb_s),
        web.map((r) => r.net_out_mb_s),
      ),
    ).toBeGreaterThan(0.8);
    // Close-wait counts stay small without faults.
    expect(Math.max(...ticks.flat().map((r) => r.back_close_wait))).toBeLessThan(30);
  });

  it("follows a business day: busier at 11:00 than at 03:00, morning_spike in the ramp, idle at night", () => {
    const ticks = run(
      new FleetSimulator({ servers: 40, seed: 9, faultRatePerServerDay: 0, start: "2025-01-15T00:00:00Z" }),
      288,
    );
    const at = (hh: string) => ticks.find((t) => t[0]?.timestamp.slice(11, 16) === hh) as MetricRecord[];
    const webBusy = (t: MetricRecord[]) =>
      mean(t.filter((r) => r.server_name.startsWith("ppweb")).map((r) => 100 - r.cpu_idle_pct));
    expect(webBusy(at("11:00"))).toBeGreaterThan(2 * webBusy(at("03:00")));
    expect(at("08:30").some((r) => r.status === "morning_spike")).toBe(true);
    expect(at("03:00").some((r) => r.status === "idle")).toBe(true);
    // Overnight batch ingest is busier at 02:00 than at 14:00.
    expect(dailyShape("batch", 2, 3)).toBeGreaterThan(dailyShape("batch", 14, 3));
  });

  it("uptime grows by day, and swap grows only while memory is high", () => {
    const sim = new FleetSimulator({ servers: 12, seed: 2, faultRatePerServerDay: 0, maintenanceRatePerServerDay: 0 });
    const ticks = run(sim, 3 * 288);
    for (const s of sim.servers()) {
      const rs = series(ticks, s.name);
      const first = rs[0] as MetricRecord;
      const last = rs.at(-1) as MetricRecord;
      if (rs.every((r) => r.status !== "offline" && r.status !== "recovery")) {
        expect(last.uptime_days - first.uptime_days).toBeGreaterThanOrEqual(2);
        for (let i = 1; i < rs.length; i++)
          expect(rs[i]?.uptime_days).toBeGreaterThanOrEqual(rs[i - 1]?.uptime_days as number);
      }
      for (let i = 1; i < rs.length; i++) {
        const [prev, cur] = [rs[i - 1] as MetricRecord, rs[i] as MetricRecord];
        if (cur.swap_used_pct > prev.swap_used_pct + 0.05) expect(cur.mem_used_pct).toBeGreaterThan(85);
      }
    }
  });

  it("memory leak: memory then swap climb to critical_issue, then a restart resets memory, swap and uptime", () => {
    for (const growth of ["linear", "exponential"] as const) {
      const schedule: ScheduledFault[] = [
        { server: "ppdb002", kind: "memory_leak", atTick: 12, growth, durationMinutes: 180 },
      ];
      const sim = new FleetSimulator({
        servers: 20,
        seed: 11,
        faultRatePerServerDay: 0,
        schedule,
        offlineRatePerServerDay: 0,
        maintenanceRatePerServerDay: 0,
      });
      const ticks = run(sim, 12);
      expect(sim.faults()).toEqual([]);
      ticks.push(sim.next());
      expect(sim.faults()).toMatchObject([
        { server_name: "ppdb002", kind: "memory_leak", since: "2025-01-15T07:00:00", growth },
      ]);
      ticks.push(...run(sim, 150));
      const rs = series(ticks, "ppdb002");
      const truth = sim.faultLog()[0];
      expect(truth?.critical_tick).toBeGreaterThan(12);
      expect(truth?.resolution).toBe("restart");
      const crit = rs[truth?.critical_tick as number] as MetricRecord;
      expect(crit.status).toBe("critical_issue");
      expect(crit.mem_used_pct).toBeGreaterThan(98);
      expect(crit.swap_used_pct).toBeGreaterThanOrEqual(85);
      expect(rs[11]?.mem_used_pct).toBeLessThan(90);
      const after = rs[truth?.ended_tick as number] as MetricRecord;
      expect(after.status).toBe("recovery");
      expect(after.uptime_days).toBe(0);
      expect(after.mem_used_pct).toBeLessThan(80);
      expect(after.swap_used_pct).toBeLessThan(5);
      expect(sim.faults()).toEqual([]);
      if (growth === "exponential") {
        // Slow at first, then fast: the first half of the growth period adds less than the second.
        const m = (min: number) => rs[12 + min / 5]?.mem_used_pct as number;
        expect(m(90) - m(0)).toBeLessThan(m(180) - m(90));
      }
    }
  });

  it("runaway CPU, disk fill and traffic spike shape the metrics and the status", () => {
    const schedule: ScheduledFault[] = [
      { server: "ppweb001", kind: "runaway_cpu", atTick: 5, durationMinutes: 60 },
      { server: "ppdb001", kind: "disk_fill", atTick: 5, durationMinutes: 600 },
      { server: "ppweb002", kind: "traffic_spike", atTick: 60, durationMinutes: 60 },
    ];
    const quiet = { faultRatePerServerDay: 0, offlineRatePerServerDay: 0, maintenanceRatePerServerDay: 0 };
    const sim = new FleetSimulator({ servers: 20, seed: 4, schedule, ...quiet });
    const ticks = run(sim, 200);
    const log = new Map(sim.faultLog().map((f) => [f.server_name, f]));

    const cpu = series(ticks, "ppweb001");
    const cpuTruth = log.get("ppweb001");
    expect(cpu[4]?.cpu_idle_pct).toBeGreaterThan(40);
    expect(cpu[5 + 10]?.cpu_idle_pct).toBeLessThan(6);
    expect(cpu[5 + 10]?.java_cpu_pct).toBeGreaterThan(0.9 * (cpu[5 + 10]?.cpu_user_pct as number));
    expect(cpu[5 + 10]?.load_average).toBeGreaterThan(2 * (cpu[4]?.load_average as number));
    expect(cpu[cpuTruth?.impact_tick as number]?.status).toBe("heavy_load");
    expect(cpu[cpuTruth?.critical_tick as number]?.status).toBe("critical_issue");
    expect(cpuTruth?.resolution).toBe("process_kill");
    expect(cpu[cpuTruth?.ended_tick as number]?.status).toBe("recovery");

    const disk = series(ticks, "ppdb001");
    const diskTruth = log.get("ppdb001");
    for (let i = 6; i < (diskTruth?.critical_tick as number); i++) {
      expect(disk[i]?.disk_usage_pct).toBeGreaterThan((disk[i - 1]?.disk_usage_pct as number) - 0.3);
    }
    expect(disk[diskTruth?.critical_tick as number]?.disk_usage_pct).toBeGreaterThanOrEqual(97);
    expect(diskTruth?.resolution).toBe("cleanup");
    expect(disk[(diskTruth?.ended_tick as number) + 1]?.disk_usage_pct).toBeLessThan(80);

    const spike = series(ticks, "ppweb002");
    const before = spike[59] as MetricRecord;
    const peak = spike[60 + 6] as MetricRecord;
    expect(peak.status).toBe("heavy_load");
    expect(peak.net_in_mb_s).toBeGreaterThan(2.5 * before.net_in_mb_s);
    expect(peak.net_out_mb_s).toBeGreaterThan(2.5 * before.net_out_mb_s);
    expect(peak.back_close_wait + peak.front_close_wait).toBeGreaterThan(
      3 * (before.back_close_wait + before.front_close_wait + 1),
    );
    expect(peak.cpu_idle_pct).toBeLessThan(before.cpu_idle_pct - 15);
    expect(log.get("ppweb002")).toMatchObject({ resolution: "subsided", critical_at: null });
    expect(spike[199]?.status).not.toBe("heavy_load");
  });

  it("random faults honour the kinds, the rate and the grace period", () => {
    const sim = new FleetSimulator({
      servers: 100,
      seed: 1,
      faultKinds: ["disk_fill"],
      faultRatePerServerDay: 1,
      graceTicks: 50,
    });
    run(sim, 288);
    const log = sim.faultLog();
    expect(log.every((f) => f.kind === "disk_fill" && f.since_tick >= 50)).toBe(true);
    // ~100 servers × (238/288 day) × 1/day, minus servers already busy with a fault.
    expect(log.length).toBeGreaterThan(40);
    expect(log.length).toBeLessThan(120);
    const none = new FleetSimulator({ servers: 100, seed: 1, faultKinds: [] });
    run(none, 100);
    expect(none.faultLog()).toEqual([]);
  });

  it("parses fault lists and rejects bad options", () => {
    expect(parseFaultKinds("leak,cpu,disk,spike")).toEqual([...FAULT_KINDS]);
    expect(parseFaultKinds("all")).toEqual([...FAULT_KINDS]);
    expect(parseFaultKinds("none")).toEqual([]);
    expect(parseFaultKinds("memory_leak")).toEqual(["memory_leak"]);
    expect(() => parseFaultKinds("leak,fire")).toThrow(/unknown fault "fire"/);
    expect(() => new FleetSimulator({ servers: 0 })).toThrow();
    expect(
      () => new FleetSimulator({ servers: 2, schedule: [{ server: "nope", kind: "disk_fill", atTick: 1 }] }),
    ).toThrow(/unknown server/);
  });
});

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function correlation(xs: number[], ys: number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
