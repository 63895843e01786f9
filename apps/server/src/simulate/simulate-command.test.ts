import { FeedRequest } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";
import type { FaultTruth } from "./fleet-simulator.js";
import {
  formatAlertLine,
  formatSummary,
  retryAfterMs,
  runSimulation,
  type SimulateOptions,
} from "./simulate-command.js";

const base: SimulateOptions = {
  servers: 10,
  url: "http://monitor.invalid",
  apiKey: "k",
  stepMs: 300_000,
  speed: 0,
  ticks: 20,
  faults: ["memory_leak"],
  faultRate: 0,
  seed: 1,
  batch: 10_000,
  graceTicks: 0,
  alertsEvery: 5,
  start: "2025-01-15T10:00:00Z",
};

/** A scripted `fetch` (no network): records calls, answers with the handler's response. */
function fakeFetch(handler: (method: string, path: string, body: unknown, n: number) => Response) {
  const calls: { method: string; path: string; body: unknown; headers: Record<string, string> }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const body = init.body ? JSON.parse(init.body as string) : null;
    calls.push({ method: init.method ?? "GET", path, body, headers: init.headers as Record<string, string> });
    return handler(init.method ?? "GET", path, body, calls.length);
  }) as unknown as typeof fetch;
  return { f, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function io(f: typeof fetch) {
  let clock = 0;
  const out: string[] = [];
  const err: string[] = [];
  const sleeps: number[] = [];
  return {
    out,
    err,
    sleeps,
    io: {
      fetch: f,
      now: () => clock,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
      },
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
    },
  };
}

let fed = 0;
const feedReply = (records: number) => {
  fed += records;
  return json(200, {
    status: fed >= 100 ? "accepted" : "warming_up",
    records_received: records,
    tick: fed,
    rolling_window_size: 2880,
    warmup_complete: fed >= 100,
    ...(fed < 100 ? { progress: `${fed}% (need 100 records minimum)` } : {}),
    alert_events: 0,
  });
};

describe("simulate command helpers", () => {
  it("parses and formats durations", () => {
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("2d")).toBe(172_800_000);
    expect(parseDuration("10")).toBe(10_000);
    expect(() => parseDuration("5 minutes")).toThrow(/invalid duration/);
    expect(formatDuration(5_400_000)).toBe("1h30m");
    expect(formatDuration(5000)).toBe("5s");
  });

  it("reads the wait of a 429 from Retry-After or the seed's message", () => {
    expect(retryAfterMs("12", "")).toBe(12_000);
    expect(retryAfterMs(new Date(61_000).toUTCString(), "", 1_000)).toBe(60_000);
    expect(retryAfterMs(null, '{"detail":"Rate limit exceeded. Try again in 60 seconds."}')).toBe(60_000);
    expect(retryAfterMs(null, "slow down")).toBe(5000);
  });

  it("formats an alert with the injected ground truth beside it", () => {
    const truth = { label: "memory leak", since: "2025-01-15T10:05:00", ended_at: null } as FaultTruth;
    const alert = {
      server_name: "ppdb003",
      level: "critical",
      risk_score: 88.14,
      message: "Memory exhaustion predicted",
      time_to_issue: "40 minutes",
    };
    expect(formatAlertLine(alert, truth)).toBe(
      "ppdb003 critical 88.1 Memory exhaustion predicted in 40 minutes (injected: memory leak since 10:05)",
    );
    expect(formatAlertLine({ ...alert, message: "Memory exhaustion predicted in 40 minutes" }, undefined)).toBe(
      "ppdb003 critical 88.1 Memory exhaustion predicted in 40 minutes (injected: none)",
    );
  });
});

describe("runSimulation (scripted fetch)", () => {
  it("packs ticks at speed 0, sends valid batches with the key, waits out a 429 and prints alerts with ground truth", async () => {
    fed = 0;
    let limited = false;
    const { f, calls } = fakeFetch((method, path, body) => {
      if (method === "POST" && path === "/feed/data") {
        if (!limited && fed >= 100) {
          limited = true;
          return json(
            429,
            { error: "rate_limited", code: "RATE_LIMITED", detail: "Rate limit exceeded. Try again in 7 seconds." },
            { "retry-after": "7" },
          );
        }
        return feedReply((body as { records: unknown[] }).records.length);
      }
      if (path === "/alerts/active") {
        return json(200, {
          timestamp: "x",
          count: 1,
          alerts: [
            {
              server_name: "ppdb001",
              level: "warning",
              risk_score: 66.2,
              profile: "Database",
              message: "Memory exhaustion predicted in 45 minutes",
              time_to_issue: "45 minutes",
            },
          ],
        });
      }
      return json(404, {});
    });
    const t = io(f);
    const report = await runSimulation({ ...base, batch: 30 }, t.io);
    const feeds = calls.filter((c) => c.path === "/feed/data");
    for (const c of feeds) {
      expect(c.headers["x-api-key"]).toBe("k");
      expect(FeedRequest.safeParse(c.body).success).toBe(true);
      expect((c.body as { records: unknown[] }).records.length).toBeLessThanOrEqual(30);
    }
    expect(report.ticks).toBe(20);
    expect(report.records).toBe(200);
    expect(report.rate_limited).toBe(1);
    expect(t.sleeps).toContain(7000);
    expect(t.err.join("\n")).toMatch(/rate limited on POST \/feed\/data; waiting 7s/);
    // Three ticks (30 records) per request: a line per request, spanning its ticks.
    expect(t.out[0]).toMatch(/^01-15 10:00 ticks 1–3 · 30 records → warming_up/);
    expect(t.out.join("\n")).toContain(
      "ppdb001 warning 66.2 Memory exhaustion predicted in 45 minutes (injected: none)",
    );
  });

  it("a 429 on /alerts/active pauses the reads for the Retry-After without holding up the feed", async () => {
    fed = 0;
    let alertCalls = 0;
    const { f } = fakeFetch((method, _path, body) => {
      if (method === "POST") return feedReply((body as { records: unknown[] }).records.length);
      alertCalls++;
      if (alertCalls === 1) return json(429, { detail: "Rate limit exceeded. Try again in 60 seconds." });
      return json(200, { alerts: [] });
    });
    const t = io(f);
    const report = await runSimulation({ ...base, batch: 10, alertsEvery: 1 }, t.io);
    // First read refused; the clock never reaches the end of the pause, so only the final read follows.
    expect(alertCalls).toBe(2);
    expect(report).toMatchObject({ ticks: 20, records: 200, requests: 20, rate_limited: 1 });
    expect(t.sleeps).toEqual([]);
  });

  it("paces ticks against wall time at speed > 0 and reports detection lead time per injected fault", async () => {
    fed = 0;
    const { f } = fakeFetch((method, _path, body) => {
      if (method === "POST") return feedReply((body as { records: unknown[] }).records.length);
      // The monitor flags ppdb001 as soon as it is asked.
      return json(200, {
        alerts: [
          {
            server_name: "ppdb001",
            level: "critical",
            risk_score: 91,
            message: "Memory exhaustion predicted",
            time_to_issue: "30 minutes",
          },
        ],
      });
    });
    const t = io(f);
    const report = await runSimulation(
      { ...base, speed: 60, ticks: 80, faultRate: 40, graceTicks: 12, alertsEvery: 1, servers: 6, seed: 5 },
      t.io,
    );
    // A tick every 5 s of wall time.
    expect(t.sleeps.every((ms) => Math.abs(ms - 5000) < 1e-6)).toBe(true);
    expect(report.requests).toBe(80);
    expect(report.faults.length).toBeGreaterThan(0);
    // Seed 5 gives ppdb001 a leak from 11:00 that turns critical at 14:20.
    const leak = report.faults.find((x) => x.server_name === "ppdb001" && x.critical_at);
    expect(leak).toMatchObject({ since: "2025-01-15T11:00:00", first_alert_level: "critical" });
    expect(leak?.lead_minutes).toBeGreaterThan(60);
    expect(t.out.join("\n")).toMatch(
      /! ppdb001 reports critical_issue \(memory leak since 11:00\), first alert critical at/,
    );
    expect(t.out.some((l) => /\+ injected memory leak/.test(l))).toBe(true);
    const summary = formatSummary(report);
    expect(summary[0]).toMatch(/^sent 480 records in 80 ticks over 80 requests/);
    expect(summary.join("\n")).toMatch(/injected faults: \d+/);
  });
});
