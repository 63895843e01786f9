import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess } from "../testing/test-server.js";
import { formatSummary, runSimulation } from "./simulate-command.js";

let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ client, stop } = await startInProcess(
    await prepareEnv({ AEGIS_DEMO_APP: "false", AEGIS_MONITOR_PROACTIVE: "off" }),
  ));
});
afterAll(async () => {
  await stop?.();
});

describe("aegis simulate against the real server", () => {
  it("feeds a faulty fleet through warm-up to accepted, the monitor tracks every server, alerts are read", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const report = await runSimulation(
      {
        servers: 24,
        url: client.url,
        apiKey: client.apiKey,
        stepMs: 300_000,
        speed: 0,
        ticks: 200,
        faults: ["memory_leak", "runaway_cpu", "traffic_spike"],
        faultRate: 3,
        seed: 7,
        // 10 ticks per request: 20 requests, well inside the feed's 60/min.
        batch: 240,
        graceTicks: 60,
        alertsEvery: 10,
        start: "2025-01-15T06:00:00Z",
      },
      {
        fetch,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        now: () => Date.now(),
        out: (l) => out.push(l),
        err: (l) => err.push(l),
      },
    );
    expect(err).toEqual([]);
    expect(report).toMatchObject({ ticks: 200, records: 4800, requests: 20, rate_limited: 0 });
    expect(out[0]).toMatch(/ticks 1–10 · 240 records → (warming_up|accepted)/);
    expect(out.some((l) => / → accepted /.test(l))).toBe(true);
    expect(report.faults.length).toBeGreaterThan(3);
    const status = await client.request("GET", "/status");
    expect(status.body).toMatchObject({ servers_tracked: 24, records_received: 4800, warmup_complete: true });
    // Alerts were read during the run and printed beside the ground truth; lead times are computed.
    expect(out.some((l) => /^ {2}pp\w+ (critical|warning|degraded) [\d.]+ .*\(injected: /.test(l))).toBe(true);
    expect(report.faults.some((f) => f.critical_at !== null && f.first_alert_at !== null)).toBe(true);
    const alerts = await client.request("GET", "/alerts/active");
    expect(alerts.status).toBe(200);
    // What the demo prints: alerts beside the injected ground truth, and the lead-time summary.
    process.stdout.write(`${[...out.filter((l) => l.startsWith("  ")), ...formatSummary(report)].join("\n")}\n`);
  });
});
