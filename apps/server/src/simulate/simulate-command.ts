import { AegisApiError, AegisClient, type RawResponse } from "@aegis/sdk";
import { Command } from "commander";
import { clientConfig } from "../cli/client-config.js";
import { formatDuration, parseDuration } from "./duration.js";
import {
  type FaultKind,
  type FaultTruth,
  FleetSimulator,
  formatTimestamp,
  parseFaultKinds,
} from "./fleet-simulator.js";

/** `aegis-tools simulate`: a simulated fleet feeding `POST /feed/data`, with injected faults checked against the alerts. */

export interface SimulateOptions {
  servers: number;
  url: string;
  apiKey: string | undefined;
  stepMs: number;
  /** Data time per wall time (60: five minutes of data every five seconds); 0 = as fast as the server takes it. */
  speed: number;
  /** Ticks to send; null = until interrupted. */
  ticks: number | null;
  faults: FaultKind[];
  faultRate: number;
  seed: string | number;
  /** Most records per request; at speed 0 consecutive ticks are packed up to this. */
  batch: number;
  graceTicks: number;
  /** Fetch `/alerts/active` every this many ticks once warmed up (0 = never). */
  alertsEvery: number;
  start: string;
}

export interface SimulateIo {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  out: (line: string) => void;
  err: (line: string) => void;
  signal?: AbortSignal;
}

interface ActiveAlert {
  server_name: string;
  level: string;
  risk_score: number;
  profile?: string;
  message: string;
  time_to_issue: string | null;
}

export interface FaultOutcome extends FaultTruth {
  /** Data time of the first alert seen for the server while the fault was on, and its level. */
  first_alert_at: string | null;
  first_alert_level: string | null;
  /** Minutes from the first alert to the fault's critical_issue (positive: predicted ahead). */
  lead_minutes: number | null;
}

export interface SimulationReport {
  ticks: number;
  records: number;
  requests: number;
  rate_limited: number;
  wall_secs: number;
  faults: FaultOutcome[];
}

const DEFAULT_RETRY_MS = 5000;

/** How long a 429 asks us to wait: `Retry-After` (seconds or date), else "Try again in N seconds" in the body. */
export function retryAfterMs(header: string | null, body: string, now = Date.now()): number {
  if (header) {
    if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.max(0, Number(header) * 1000);
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const m = /try again in (\d+(?:\.\d+)?) ?(ms|milliseconds|s|sec|seconds?|m|min|minutes?)\b/i.exec(body);
  if (m) {
    const v = Number(m[1]);
    const unit = (m[2] as string).toLowerCase();
    return unit.startsWith("ms") || unit.startsWith("milli") ? v : unit.startsWith("m") ? v * 60_000 : v * 1000;
  }
  return DEFAULT_RETRY_MS;
}

const hhmm = (ts: string) => ts.slice(11, 16);
const dayHhmm = (ts: string) => `${ts.slice(5, 10)} ${ts.slice(11, 16)}`;
const minutesBetween = (a: string, b: string) => (Date.parse(`${b}Z`) - Date.parse(`${a}Z`)) / 60_000;

/** "ppdb003 critical 88.1 Memory exhaustion predicted in 40 minutes (injected: memory leak since 10:05)". */
export function formatAlertLine(alert: ActiveAlert, truth: FaultTruth | undefined): string {
  let text = alert.message;
  const tti = alert.time_to_issue;
  if (tti && /^\d/.test(tti) && !text.includes(tti)) text += ` in ${tti}`;
  const injected = !truth
    ? "injected: none"
    : truth.ended_at
      ? `injected: ${truth.label} ${hhmm(truth.since)}–${hhmm(truth.ended_at)}, over`
      : `injected: ${truth.label} since ${hhmm(truth.since)}`;
  return `${alert.server_name} ${alert.level} ${alert.risk_score.toFixed(1)} ${text} (${injected})`;
}

export async function runSimulation(o: SimulateOptions, io: SimulateIo): Promise<SimulationReport> {
  const sim = new FleetSimulator({
    servers: o.servers,
    seed: o.seed,
    start: o.start,
    stepMs: o.stepMs,
    faultKinds: o.faults,
    faultRatePerServerDay: o.faultRate,
    graceTicks: o.graceTicks,
  });
  const report: SimulationReport = { ticks: 0, records: 0, requests: 0, rate_limited: 0, wall_secs: 0, faults: [] };
  const client = new AegisClient(o.url, o.apiKey, { fetch: io.fetch });

  /** One HTTP exchange; a 429 waits as told and tries again (or gives up when `retry` is false). */
  let alertsPausedUntil = Number.NEGATIVE_INFINITY;
  const call = async (method: string, path: string, body: unknown, retry: boolean) => {
    for (;;) {
      if (io.signal?.aborted) return null;
      let res: RawResponse;
      try {
        res = await client.request(method, path, body, io.signal ? { signal: io.signal } : {});
      } catch (e) {
        if (io.signal?.aborted) return null;
        throw e;
      }
      if (res.status === 429) {
        report.rate_limited++;
        const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
        const wait = retryAfterMs(res.headers.get("retry-after"), text, io.now());
        if (!retry) {
          // Reads are optional: skip them until the budget is back instead of holding up the feed.
          alertsPausedUntil = io.now() + wait;
          return null;
        }
        io.err(`rate limited on ${method} ${path}; waiting ${formatDuration(wait)}`);
        await io.sleep(wait);
        continue;
      }
      if (res.status < 200 || res.status > 299) {
        throw new AegisApiError(method, path, res.status, res.body as unknown as AegisApiError["body"], res.headers);
      }
      return (res.body ?? {}) as Record<string, unknown>;
    }
  };

  const byKey = (t: FaultTruth) => `${t.server_name}@${t.since_tick}`;
  const alertOf = new Map<string, { at: string; level: string }>();
  const shown = new Map<string, string>();
  let seenFaults = 0;
  const critical = new Set<string>();
  let warmedUp = false;
  let lastTs = sim.nextTimestamp;

  /** Fault of a server now, or one that ended within the last hour of data time. */
  const truthFor = (server: string): FaultTruth | undefined => {
    const active = sim.faultOf(server);
    if (active) return active;
    const recent = sim
      .faultLog()
      .filter(
        (f) => f.server_name === server && f.ended_tick !== null && sim.tick - f.ended_tick <= 3_600_000 / o.stepMs,
      );
    return recent.at(-1);
  };

  const reportFaultChanges = () => {
    const log = sim.faultLog();
    for (const f of log.slice(seenFaults)) {
      io.out(`  + injected ${f.label}${f.growth ? ` (${f.growth})` : ""} on ${f.server_name} at ${hhmm(f.since)}`);
    }
    seenFaults = log.length;
    for (const f of log) {
      const key = byKey(f);
      if (f.critical_at && !critical.has(key)) {
        critical.add(key);
        const first = alertOf.get(key);
        const lead = first
          ? `, first alert ${first.level} at ${hhmm(first.at)} (${minutesBetween(first.at, f.critical_at)} min ahead)`
          : ", no alert before it";
        io.out(`  ! ${f.server_name} reports critical_issue (${f.label} since ${hhmm(f.since)})${lead}`);
      }
    }
  };

  const checkAlerts = async () => {
    const body = (await call("GET", "/alerts/active", undefined, false)) as { alerts?: ActiveAlert[] } | null;
    if (!body?.alerts) return;
    const now = new Set<string>();
    for (const a of body.alerts) {
      now.add(a.server_name);
      const truth = truthFor(a.server_name);
      if (truth && !truth.ended_at) {
        const key = byKey(truth);
        if (!alertOf.has(key)) alertOf.set(key, { at: lastTs, level: a.level });
      }
      if (shown.get(a.server_name) !== a.level) {
        shown.set(a.server_name, a.level);
        io.out(`  ${formatAlertLine(a, truth)}`);
      }
    }
    for (const server of [...shown.keys()]) {
      if (!now.has(server)) {
        shown.delete(server);
        io.out(`  ${server} back to healthy`);
      }
    }
  };

  const t0 = io.now();
  const interval = o.speed > 0 ? o.stepMs / o.speed : 0;
  while (!io.signal?.aborted && (o.ticks === null || report.ticks < o.ticks)) {
    // Pace against wall time: tick k is due k intervals after the start.
    if (interval > 0) {
      const wait = t0 + report.ticks * interval - io.now();
      if (wait > 0) await io.sleep(wait);
      if (io.signal?.aborted) break;
    }
    const firstTick = report.ticks;
    const firstTs = sim.nextTimestamp;
    const records = sim.next();
    report.ticks++;
    lastTs = records[0]?.timestamp ?? lastTs;
    // As fast as possible: pack whole ticks into one request while they fit.
    while (interval === 0 && (o.ticks === null || report.ticks < o.ticks) && records.length + o.servers <= o.batch) {
      const more = sim.next();
      report.ticks++;
      lastTs = more[0]?.timestamp ?? lastTs;
      records.push(...more);
    }
    let reply: Record<string, unknown> | null = null;
    for (let i = 0; i < records.length; i += o.batch) {
      reply = await call("POST", "/feed/data", { records: records.slice(i, i + o.batch) }, true);
      if (!reply) break;
      report.requests++;
    }
    if (!reply) break;
    report.records += records.length;
    warmedUp ||= reply.warmup_complete === true;
    const span = report.ticks - firstTick > 1 ? `ticks ${firstTick + 1}–${report.ticks}` : `tick ${report.ticks}`;
    const active = sim.faults();
    const faultText =
      active.length === 0
        ? "no faults"
        : `faults ${active.length}: ${active
            .slice(0, 3)
            .map((f) => `${f.server_name} ${f.label}`)
            .join(", ")}${active.length > 3 ? ", …" : ""}`;
    const progress = reply.status === "warming_up" && reply.progress ? ` ${String(reply.progress)}` : "";
    io.out(
      `${dayHhmm(interval === 0 ? firstTs : lastTs)} ${span} · ${records.length} records → ${String(reply.status)}${progress} (total ${String(reply.tick)}) · ${faultText}`,
    );
    reportFaultChanges();
    const due =
      o.alertsEvery > 0 &&
      warmedUp &&
      Math.floor(report.ticks / o.alertsEvery) > Math.floor(firstTick / o.alertsEvery) &&
      io.now() >= alertsPausedUntil;
    if (due) await checkAlerts();
  }
  if (warmedUp && o.alertsEvery > 0 && !io.signal?.aborted) await checkAlerts();

  report.wall_secs = Math.round((io.now() - t0) / 100) / 10;
  report.faults = sim.faultLog().map((f) => {
    const first = alertOf.get(byKey(f)) ?? null;
    return {
      ...f,
      first_alert_at: first?.at ?? null,
      first_alert_level: first?.level ?? null,
      lead_minutes: first && f.critical_at ? minutesBetween(first.at, f.critical_at) : null,
    };
  });
  return report;
}

export function formatSummary(r: SimulationReport): string[] {
  const lines = [
    `sent ${r.records} records in ${r.ticks} ticks over ${r.requests} requests, ${r.wall_secs} s` +
      (r.wall_secs > 0 ? ` (${Math.round(r.records / r.wall_secs)} records/s)` : "") +
      (r.rate_limited ? `; rate limited ${r.rate_limited}×` : ""),
  ];
  if (r.faults.length === 0) return lines;
  lines.push(`injected faults: ${r.faults.length}`);
  for (const f of r.faults) {
    const crit = f.critical_at ? `critical ${hhmm(f.critical_at)}` : "never critical";
    const alert = f.first_alert_at ? `first alert ${f.first_alert_level} ${hhmm(f.first_alert_at)}` : "no alert seen";
    const lead = f.lead_minutes !== null ? ` → ${f.lead_minutes} min ahead` : "";
    lines.push(
      `  ${f.server_name.padEnd(10)} ${f.label.padEnd(13)} since ${dayHhmm(f.since)}; ${crit}; ${alert}${lead}`,
    );
  }
  const outages = r.faults.filter((f) => f.critical_at);
  const predicted = outages.filter((f) => f.lead_minutes !== null && f.lead_minutes > 0);
  if (outages.length > 0) lines.push(`critical outages alerted ahead: ${predicted.length}/${outages.length}`);
  return lines;
}

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
};

/** The `simulate` command; `main.ts` runs it as the `aegis-simulate` tool. */
export function simulateCommand(): Command {
  return new Command("simulate")
    .description("feed a simulated fleet with injected faults to POST /feed/data and show the alerts it raises")
    .option("--servers <n>", "number of servers", positiveInt("servers"), 20)
    .option("--url <url>", "server URL (default AEGIS_URL or the local server)")
    .option("--key <key>", "API key (default AEGIS_API_KEY or the data dir's key)")
    .option("--step <duration>", "data time between ticks", "5m")
    .option("--speed <x>", "data time per wall time (60: 5 min of data every 5 s); 0 = as fast as possible", "60")
    .option("--ticks <n>", "stop after this many ticks", positiveInt("ticks"))
    .option("--duration <duration>", "stop after this much data time (e.g. 1d)")
    .option("--faults <list>", "fault kinds: leak,cpu,disk,spike | all | none", "all")
    .option("--fault-rate <n>", "random faults per server per day of data time", "0.5")
    .option("--grace <ticks>", "no random faults before this tick (lets the monitor learn)", positiveInt("grace"), 36)
    .option("--seed <seed>", "random seed (same seed, same fleet)", "1")
    .option("--start <time>", "data time of the first tick (default: now, rounded down to the step)")
    .option(
      "--batch <records>",
      "most records per request; at --speed 0 ticks are packed up to it",
      positiveInt("batch"),
      10_000,
    )
    .option(
      "--alerts-every <ticks>",
      "check /alerts/active every this many ticks after warm-up (0 = never)",
      positiveInt("alerts-every"),
      6,
    )
    .option("--json", "print the final report as JSON")
    .action(async (opts) => {
      const cfg = clientConfig();
      const stepMs = parseDuration(opts.step);
      const speed = Number(opts.speed);
      if (!(speed >= 0)) throw new Error("--speed must be 0 or more");
      if (opts.servers < 1) throw new Error("--servers must be at least 1");
      if (opts.batch < 1) throw new Error("--batch must be at least 1");
      const faultRate = Number(opts.faultRate);
      if (!(faultRate >= 0)) throw new Error("--fault-rate must be 0 or more");
      const ticks =
        opts.ticks !== undefined ? opts.ticks : opts.duration ? Math.ceil(parseDuration(opts.duration) / stepMs) : null;
      const start = opts.start ?? `${formatTimestamp(Math.floor(Date.now() / stepMs) * stepMs)}Z`;
      const abort = new AbortController();
      process.once("SIGINT", () => abort.abort());
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const err = (line: string) => process.stderr.write(`${line}\n`);
      const o: SimulateOptions = {
        servers: opts.servers,
        url: ((opts.url as string | undefined) ?? cfg.url).replace(/\/$/, ""),
        apiKey: opts.key ?? cfg.apiKey,
        stepMs,
        speed,
        ticks,
        faults: parseFaultKinds(opts.faults),
        faultRate,
        seed: opts.seed,
        batch: opts.batch,
        graceTicks: opts.grace,
        alertsEvery: opts.alertsEvery,
        start,
      };
      err(
        `simulating ${o.servers} servers → ${o.url}/feed/data, step ${formatDuration(stepMs)}, ` +
          `${speed > 0 ? `speed ${speed}× (a tick every ${formatDuration(stepMs / speed)})` : "as fast as possible"}` +
          `${ticks !== null ? `, ${ticks} ticks` : ", until Ctrl-C"}; faults ${o.faults.join(",") || "none"} at ${faultRate}/server/day after tick ${o.graceTicks}`,
      );
      const report = await runSimulation(o, {
        fetch,
        sleep: (ms) =>
          new Promise((resolve) => {
            const t = setTimeout(resolve, ms);
            abort.signal.addEventListener("abort", () => {
              clearTimeout(t);
              resolve();
            });
          }),
        now: () => Date.now(),
        out,
        err,
        signal: abort.signal,
      });
      if (opts.json) out(JSON.stringify(report, null, 2));
      else for (const line of formatSummary(report)) out(line);
    });
}
