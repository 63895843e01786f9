import type { MetricRecord, ServerStatus } from "@aegis/contracts";
import { hashSeed, Rng } from "./prng.js";
import { dailyShape, inMorningRamp, PROFILES, type ServerProfile } from "./profiles.js";

/**
 * A simulated fleet for demonstrating and benchmarking the predictive monitor (seed 004).
 * Pure and seeded: the same options give the same records, whatever the wall clock. Data time advances by
 * `stepMs` per `next()`; pacing against wall time is the caller's business.
 */

export const FAULT_KINDS = ["memory_leak", "runaway_cpu", "disk_fill", "traffic_spike"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Short names accepted on the command line. */
export const FAULT_ALIASES: Record<string, FaultKind> = {
  leak: "memory_leak",
  cpu: "runaway_cpu",
  disk: "disk_fill",
  spike: "traffic_spike",
};

export const FAULT_LABELS: Record<FaultKind, string> = {
  memory_leak: "memory leak",
  runaway_cpu: "runaway CPU",
  disk_fill: "disk fill",
  traffic_spike: "traffic spike",
};

/** Parse "leak,cpu" / "memory_leak" / "all" into fault kinds. */
export function parseFaultKinds(text: string): FaultKind[] {
  if (text.trim() === "all") return [...FAULT_KINDS];
  if (text.trim() === "none" || text.trim() === "") return [];
  return text.split(",").map((raw) => {
    const name = raw.trim();
    const kind = FAULT_ALIASES[name] ?? (FAULT_KINDS as readonly string[]).find((k) => k === name);
    if (!kind) throw new Error(`unknown fault "${name}" (use ${Object.keys(FAULT_ALIASES).join(", ")})`);
    return kind as FaultKind;
  });
}

export interface ScheduledFault {
  server: string;
  kind: FaultKind;
  /** Tick (0 = the first `next()`) at which the fault starts. */
  atTick: number;
  /** Memory-leak growth; random when omitted. */
  growth?: "linear" | "exponential";
  /**
   * Minutes of data time until the fault turns critical (leak: memory full; disk: disk full;
   * runaway CPU: saturated and sustained), or the spike's length. Random within the kind's range when omitted.
   */
  durationMinutes?: number;
}

export interface SimulatorOptions {
  servers: number;
  seed?: number | string;
  /** Data time of the first tick (default 2025-01-15T06:00:00Z, a Wednesday before the morning ramp). */
  start?: Date | string;
  /** Data time between ticks (default 5 minutes, as in the seed). */
  stepMs?: number;
  /** Kinds of randomly injected faults (default all). */
  faultKinds?: readonly FaultKind[];
  /** Expected random faults per server per day of data time (default 0.2; 0 = only the schedule). */
  faultRatePerServerDay?: number;
  /** Faults at chosen ticks, in addition to random ones. */
  schedule?: readonly ScheduledFault[];
  /** No random faults, maintenance or outages before this tick (lets a monitor warm up). Default 0. */
  graceTicks?: number;
  /** Expected maintenance windows per server per day (default 0.01). */
  maintenanceRatePerServerDay?: number;
  /** Expected unplanned outages per server per day (default 0.005). */
  offlineRatePerServerDay?: number;
}

/** Ground truth of one injected fault, for measuring detection lead time. */
export interface FaultTruth {
  server_name: string;
  profile: string;
  kind: FaultKind;
  label: string;
  growth: "linear" | "exponential" | null;
  /** Data time and tick at which the fault began. */
  since: string;
  since_tick: number;
  /** First record whose status the fault changed (heavy_load or critical_issue). */
  impact_at: string | null;
  impact_tick: number | null;
  /** First record with status critical_issue (the outage a monitor should predict); spikes never get there. */
  critical_at: string | null;
  critical_tick: number | null;
  /** When the fault ended (restart, cleanup, spike over, or superseded by a scheduled fault). */
  ended_at: string | null;
  ended_tick: number | null;
  resolution: "restart" | "process_kill" | "cleanup" | "subsided" | "superseded" | null;
}

export interface SimulatedServer {
  name: string;
  profile: string;
}

interface ActiveFault {
  truth: FaultTruth;
  /** Minutes of data time to the critical point (leak, disk, cpu) or spike length. */
  duration: number;
  /** Runaway CPU: ramp minutes; spike: onset minutes. */
  ramp: number;
  /** Leak/cpu/disk: minutes critical before the restart or cleanup. Spike: decay minutes. */
  hold: number;
  /** Spike: multiplier of network traffic; cpu: target busy %. */
  magnitude: number;
  /** Spike: extra user CPU points at full surge. */
  extraCpu: number;
  /** Spike: multiplier of CLOSE_WAIT counts. */
  closeWaitFactor: number;
  /** Elapsed minutes when it turned critical. */
  criticalAt: number | null;
}

interface Outage {
  kind: "offline" | "maintenance" | "recovery";
  /** Minute (since start) at which it ends. */
  until: number;
  from: number;
}

interface ServerState {
  name: string;
  profile: ServerProfile;
  rng: Rng;
  cpuScale: number;
  memOffset: number;
  diskBase: number;
  netScale: number;
  activityScale: number;
  javaShare: number;
  uptimeMin: number;
  swapFloor: number;
  swap: number;
  cpuNoise: number;
  memNoise: number;
  netNoise: number;
  actNoise: number;
  fault: ActiveFault | null;
  outage: Outage | null;
}

const DAY_MIN = 1440;
const RECOVERY_MIN = 15;
const MAX_UPTIME_DAYS = 365;

/** Seed-style timestamp: "2025-01-15T10:00:00" (UTC clock, no offset). */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** Spread `n` over the profiles by weight (largest remainder), in profile order. */
function allocate(n: number): ServerProfile[] {
  const total = PROFILES.reduce((a, p) => a + p.weight, 0);
  const exact = PROFILES.map((p) => (n * p.weight) / total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  let left = n - counts.reduce((a, b) => a + b, 0);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] as number) + 1;
  }
  return PROFILES.flatMap((p, i) => Array.from({ length: counts[i] as number }, () => p));
}

export class FleetSimulator {
  readonly stepMs: number;
  readonly startMs: number;
  private readonly stepMin: number;
  private readonly states: ServerState[];
  private readonly byName = new Map<string, ServerState>();
  private readonly schedule = new Map<number, ScheduledFault[]>();
  private readonly faultKinds: readonly FaultKind[];
  private readonly pFault: number;
  private readonly pMaintenance: number;
  private readonly pOffline: number;
  private readonly graceTicks: number;
  private readonly log: FaultTruth[] = [];
  private tickNo = 0;

  constructor(opts: SimulatorOptions) {
    if (!Number.isInteger(opts.servers) || opts.servers < 1) throw new Error("servers must be a positive integer");
    this.stepMs = opts.stepMs ?? 5 * 60_000;
    if (!(this.stepMs >= 1000)) throw new Error("step must be at least one second");
    this.stepMin = this.stepMs / 60_000;
    const start = opts.start ?? "2025-01-15T06:00:00Z";
    this.startMs = typeof start === "string" ? Date.parse(start) : start.getTime();
    if (!Number.isFinite(this.startMs)) throw new Error(`invalid start time: ${String(start)}`);
    this.faultKinds = opts.faultKinds ?? FAULT_KINDS;
    const perTick = (ratePerDay: number) => 1 - Math.exp((-ratePerDay * this.stepMin) / DAY_MIN);
    this.pFault = this.faultKinds.length > 0 ? perTick(opts.faultRatePerServerDay ?? 0.2) : 0;
    this.pMaintenance = perTick(opts.maintenanceRatePerServerDay ?? 0.01);
    this.pOffline = perTick(opts.offlineRatePerServerDay ?? 0.005);
    this.graceTicks = opts.graceTicks ?? 0;
    const seed = opts.seed ?? 1;

    const numbers = new Map<string, number>();
    this.states = allocate(opts.servers).map((profile) => {
      const k = (numbers.get(profile.prefix) ?? 0) + 1;
      numbers.set(profile.prefix, k);
      const name = `${profile.prefix}${String(k).padStart(3, "0")}`;
      const rng = new Rng(hashSeed(seed, name));
      const swapFloor = rng.uniform(0, 4);
      const state: ServerState = {
        name,
        profile,
        rng,
        cpuScale: rng.uniform(0.8, 1.2),
        memOffset: rng.uniform(-6, 6),
        diskBase: Math.min(85, Math.max(8, profile.disk + rng.uniform(-15, 15))),
        netScale: rng.uniform(0.6, 1.4),
        activityScale: rng.uniform(0.9, 1.1),
        javaShare: rng.uniform(0.6, 0.9),
        uptimeMin: rng.uniform(1, 200) * DAY_MIN,
        swapFloor,
        swap: swapFloor,
        cpuNoise: 0,
        memNoise: 0,
        netNoise: 0,
        actNoise: 0,
        fault: null,
        outage: null,
      };
      this.byName.set(name, state);
      return state;
    });
    for (const f of opts.schedule ?? []) {
      if (!this.byName.has(f.server)) throw new Error(`scheduled fault for unknown server ${f.server}`);
      const list = this.schedule.get(f.atTick) ?? [];
      list.push(f);
      this.schedule.set(f.atTick, list);
    }
  }

  /** Ticks produced so far. */
  get tick(): number {
    return this.tickNo;
  }

  /** Data time of the next tick. */
  get nextTimestamp(): string {
    return formatTimestamp(this.startMs + this.tickNo * this.stepMs);
  }

  servers(): SimulatedServer[] {
    return this.states.map((s) => ({ name: s.name, profile: s.profile.label }));
  }

  /** Faults in progress now. */
  faults(): FaultTruth[] {
    return this.states.flatMap((s) => (s.fault ? [{ ...s.fault.truth }] : []));
  }

  /** The fault in progress on one server, if any. */
  faultOf(server: string): FaultTruth | undefined {
    const f = this.byName.get(server)?.fault;
    return f ? { ...f.truth } : undefined;
  }

  /** Every fault injected so far, ended or not, in order of start. */
  faultLog(): FaultTruth[] {
    return this.log.map((t) => ({ ...t }));
  }

  /** One record per server for the next tick of data time. */
  next(): MetricRecord[] {
    const k = this.tickNo++;
    const ms = this.startMs + k * this.stepMs;
    const ts = formatTimestamp(ms);
    const minute = k * this.stepMin;
    const date = new Date(ms);
    const hour = date.getUTCHours() + date.getUTCMinutes() / 60 + date.getUTCSeconds() / 3600;
    const weekday = date.getUTCDay();
    const scheduled = this.schedule.get(k);
    if (scheduled) {
      for (const f of scheduled) this.startFault(this.byName.get(f.server) as ServerState, f.kind, k, ts, f);
    }
    return this.states.map((s) => this.sample(s, k, ts, minute, hour, weekday));
  }

  private startFault(s: ServerState, kind: FaultKind, k: number, ts: string, spec?: Partial<ScheduledFault>): void {
    if (s.fault) this.endFault(s, k, ts, "superseded");
    if (s.outage && s.outage.kind !== "recovery") s.outage = null;
    const r = s.rng;
    const growth = kind === "memory_leak" ? (spec?.growth ?? (r.chance(0.5) ? "linear" : "exponential")) : null;
    const truth: FaultTruth = {
      server_name: s.name,
      profile: s.profile.label,
      kind,
      label: FAULT_LABELS[kind],
      growth,
      since: ts,
      since_tick: k,
      impact_at: null,
      impact_tick: null,
      critical_at: null,
      critical_tick: null,
      ended_at: null,
      ended_tick: null,
      resolution: null,
    };
    const ranges: Record<FaultKind, [number, number]> = {
      memory_leak: [120, 480],
      runaway_cpu: [45, 150],
      disk_fill: [360, 2880],
      traffic_spike: [20, 90],
    };
    const [lo, hi] = ranges[kind];
    s.fault = {
      truth,
      duration: spec?.durationMinutes ?? r.uniform(lo, hi),
      ramp: kind === "traffic_spike" ? r.uniform(5, 15) : r.uniform(10, 40),
      hold: kind === "traffic_spike" ? r.uniform(10, 30) : r.uniform(15, 40),
      magnitude: kind === "traffic_spike" ? r.uniform(3, 8) : r.uniform(95, 99),
      extraCpu: r.uniform(20, 40),
      closeWaitFactor: r.uniform(10, 30),
      criticalAt: null,
    };
    this.log.push(truth);
  }

  private endFault(s: ServerState, k: number, ts: string, resolution: NonNullable<FaultTruth["resolution"]>): void {
    const f = s.fault;
    if (!f) return;
    f.truth.ended_at = ts;
    f.truth.ended_tick = k;
    f.truth.resolution = resolution;
    s.fault = null;
  }

  private restart(s: ServerState, minute: number, reboot: boolean): void {
    s.swap = s.swapFloor;
    s.memNoise = 0;
    s.cpuNoise = 0;
    if (reboot) s.uptimeMin = 0;
    s.outage = { kind: "recovery", from: minute, until: minute + RECOVERY_MIN };
  }

  /** Random events and the end of timed states, before sampling. */
  private advance(s: ServerState, k: number, ts: string, minute: number): void {
    const r = s.rng;
    s.uptimeMin += this.stepMin;
    if (s.outage && minute >= s.outage.until) {
      const ended = s.outage.kind;
      s.outage = null;
      if (ended !== "recovery") this.restart(s, minute, true);
    }
    const f = s.fault;
    if (f) {
      const elapsed = (k - f.truth.since_tick) * this.stepMin;
      if (f.truth.kind === "traffic_spike") {
        if (elapsed >= f.ramp + f.duration + f.hold) this.endFault(s, k, ts, "subsided");
      } else if (f.criticalAt !== null && elapsed - f.criticalAt >= f.hold) {
        const kind = f.truth.kind;
        this.endFault(
          s,
          k,
          ts,
          kind === "memory_leak" ? "restart" : kind === "runaway_cpu" ? "process_kill" : "cleanup",
        );
        this.restart(s, minute, kind === "memory_leak");
      }
    }
    if (s.uptimeMin / DAY_MIN >= MAX_UPTIME_DAYS - 0.01 && !s.outage) {
      // Patch window before uptime would pass the contract's 365-day bound.
      if (s.fault) this.endFault(s, k, ts, "superseded");
      s.outage = { kind: "maintenance", from: minute, until: minute + 60 };
      return;
    }
    if (k < this.graceTicks || s.fault || s.outage) return;
    if (r.chance(this.pOffline)) {
      s.outage = { kind: "offline", from: minute, until: minute + r.uniform(10, 60) };
    } else if (r.chance(this.pMaintenance)) {
      s.outage = { kind: "maintenance", from: minute, until: minute + r.uniform(30, 120) };
    } else if (r.chance(this.pFault)) {
      this.startFault(s, r.pick(this.faultKinds), k, ts);
    }
  }

  private sample(s: ServerState, k: number, ts: string, minute: number, hour: number, weekday: number): MetricRecord {
    this.advance(s, k, ts, minute);
    const p = s.profile;
    const r = s.rng;
    const step = this.stepMin;
    // Slowly varying noise (AR(1) per 5 minutes of data time).
    const keep = 0.8 ** (step / 5);
    const fresh = Math.sqrt(1 - keep * keep);
    s.cpuNoise = keep * s.cpuNoise + fresh * r.normal();
    s.memNoise = keep * s.memNoise + fresh * r.normal();
    s.netNoise = keep * s.netNoise + fresh * r.normal();
    s.actNoise = keep * s.actNoise + fresh * r.normal();

    const shape = dailyShape(p.shape, hour, weekday);
    let activity = (p.floor + (1 - p.floor) * shape) * s.activityScale * (1 + 0.05 * s.actNoise);
    if (s.outage?.kind === "maintenance") activity = 0.05;
    activity = Math.max(0.02, activity);

    let user = p.cpuUser * activity * s.cpuScale * (1 + 0.08 * s.cpuNoise + 0.03 * r.normal());
    let sys = p.cpuSys * (0.4 + 0.6 * activity) * s.cpuScale * (1 + 0.1 * r.normal());
    let iowait = p.cpuIowait * (0.3 + 0.7 * activity) * Math.exp(0.25 * r.normal());
    let mem = p.mem - p.memSeasonal * (1 - Math.min(1, activity)) + s.memOffset + 1.2 * s.memNoise;
    let disk = s.diskBase + 0.05 * r.normal();
    let netIn = p.netIn * activity * s.netScale * Math.exp(0.12 * s.netNoise);
    let netOut = netIn * p.netOutRatio * Math.exp(0.06 * r.normal());
    let cwScale = 0.3 + 0.7 * activity;
    let javaShare = s.javaShare;
    let surging = false;
    let critical = false;

    if (s.outage?.kind === "recovery") {
      // Caches refill after a restart.
      const done = Math.min(1, (minute - s.outage.from) / RECOVERY_MIN);
      mem -= 20 * (1 - done);
    }

    const f = s.fault;
    if (f) {
      const e = (k - f.truth.since_tick) * step;
      const headroom = Math.max(0, 100 - mem);
      switch (f.truth.kind) {
        case "memory_leak": {
          const x = Math.min(1.2, e / f.duration);
          const grown = f.truth.growth === "exponential" ? (Math.exp(3 * x) - 1) / (Math.exp(3) - 1) : x;
          mem += (headroom + 2) * grown;
          if (p.jvm && mem > 90) {
            // Garbage collection fights the leak.
            user += (mem - 90) * 2;
            javaShare = 0.95;
          }
          if (s.swap >= 85) critical = true;
          iowait += s.swap * 0.12;
          break;
        }
        case "runaway_cpu": {
          const x = Math.min(1, e / f.ramp);
          const target = f.magnitude - sys - iowait;
          user += Math.max(0, target - user) * x;
          if (p.jvm) javaShare = 0.97;
          if (e >= f.ramp + f.duration) critical = true;
          break;
        }
        case "disk_fill": {
          disk += (99.9 - disk) * Math.min(1, e / f.duration);
          iowait += 3 * Math.min(1, e / f.duration);
          if (disk >= 97) critical = true;
          break;
        }
        case "traffic_spike": {
          const end = f.ramp + f.duration;
          const level = e < f.ramp ? e / f.ramp : e < end ? 1 : Math.max(0, 1 - (e - end) / f.hold);
          netIn *= 1 + (f.magnitude - 1) * level;
          netOut *= 1 + (f.magnitude - 1) * level;
          user += f.extraCpu * level;
          sys += f.extraCpu * 0.3 * level;
          cwScale *= 1 + (f.closeWaitFactor - 1) * level;
          surging = level > 0.3;
          break;
        }
      }
      if (critical && f.criticalAt === null) {
        f.criticalAt = e;
        f.truth.critical_at = ts;
        f.truth.critical_tick = k;
      }
      if (f.criticalAt !== null) critical = true;
    }

    // Memory pressure pushes pages to swap; otherwise swap drains slowly back to its floor.
    mem = Math.min(99.9, Math.max(1, mem));
    if (mem > 85) s.swap = Math.min(100, s.swap + 0.004 * (mem - 85) ** 2 * step);
    else s.swap = Math.max(s.swapFloor, s.swap - 0.02 * step);

    // CPU split in tenths of a percent so the four parts sum to exactly 100.
    user = Math.max(0, user);
    sys = Math.max(0, sys);
    iowait = Math.max(0, iowait);
    const busy = user + sys + iowait;
    if (busy > 99.5) {
      const scale = 99.5 / busy;
      user *= scale;
      sys *= scale;
      iowait *= scale;
    }
    let U = Math.round(user * 10);
    let S = Math.round(sys * 10);
    let W = Math.round(iowait * 10);
    let J = p.jvm ? Math.min(U, Math.round(user * javaShare * (1 + 0.04 * r.normal()) * 10)) : 0;
    let load = p.cores * ((U + S) / 1000 + (W / 1000) * 0.8) * (1 + 0.05 * r.normal());
    let backCw = r.poisson(p.backCloseWait * cwScale);
    let frontCw = r.poisson(p.frontCloseWait * cwScale);
    let swap = s.swap;

    if (s.outage?.kind === "offline") {
      U = 0;
      S = 0;
      W = 0;
      J = 0;
      load = 0;
      mem = 0;
      swap = 0;
      netIn = 0;
      netOut = 0;
      backCw = 0;
      frontCw = 0;
    }
    const I = 1000 - U - S - W;

    let status: ServerStatus;
    if (s.outage?.kind === "offline") status = "offline";
    else if (s.outage?.kind === "maintenance") status = "maintenance";
    else if (critical) status = "critical_issue";
    else if (s.outage?.kind === "recovery") status = "recovery";
    else if (surging || I <= 150) status = "heavy_load";
    else if (p.morningSpike && inMorningRamp(hour, weekday)) status = "morning_spike";
    else if (p.shape !== "batch" && shape < 0.1 && activity < 0.5 && (hour < 5.5 || weekday === 0 || weekday === 6))
      status = "idle";
    else status = "healthy";

    if (f && f.truth.impact_at === null && (status === "critical_issue" || status === "heavy_load")) {
      f.truth.impact_at = ts;
      f.truth.impact_tick = k;
    }

    const r1 = (x: number) => Math.round(x * 10) / 10;
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return {
      timestamp: ts,
      server_name: s.name,
      status,
      cpu_user_pct: U / 10,
      cpu_sys_pct: S / 10,
      cpu_iowait_pct: W / 10,
      cpu_idle_pct: I / 10,
      java_cpu_pct: J / 10,
      mem_used_pct: r1(mem),
      swap_used_pct: r1(Math.min(100, swap)),
      disk_usage_pct: r1(Math.min(100, Math.max(0, disk))),
      net_in_mb_s: r2(Math.max(0, netIn)),
      net_out_mb_s: r2(Math.max(0, netOut)),
      back_close_wait: backCw,
      front_close_wait: frontCw,
      load_average: r2(Math.max(0, load)),
      uptime_days: Math.min(MAX_UPTIME_DAYS, Math.floor(s.uptimeMin / DAY_MIN)),
    };
  }
}
