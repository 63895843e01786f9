import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { IncidentResult } from "@aegis/contracts";
import { freePorts } from "../testing/free-ports.js";
import { prepareEnv, ServerProcess } from "../testing/test-server.js";
import { alertStormBench } from "./alert-storm-bench.js";
import { auditExportBench } from "./audit-export-bench.js";
import { confidenceCalibration } from "./confidence-calibration.js";
import { councilEval } from "./council-eval.js";
import { dashboardBench } from "./dashboard-bench.js";
import { dockerRestartBench } from "./docker-restart-bench.js";
import { incidentsListBench } from "./incidents-list-bench.js";
import { loginBench } from "./login-bench.js";
import { monitorBench } from "./monitor-bench.js";
import { pipelineStormBench } from "./pipeline-storm-bench.js";
import { startAlertmanager, startBareNode } from "./reference-servers.js";
import { scaleOutBench } from "./scale-out-bench.js";
import { searchBench } from "./search-bench.js";
import { rssMb, summary } from "./stats.js";
import { streamOverhead } from "./stream-overhead.js";
import { postScript, runWrk } from "./wrk.js";

const RESULTS = resolve(fileURLToPath(import.meta.url), "../../../../../bench/results");
const hasWrk = (() => {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (e) {
    return (e as { status?: number }).status === 1; // wrk --version exits 1 but exists
  }
})();

const memoryLeak = (id: string) => ({
  incident_id: id,
  alert_type: "Memory Leak",
  logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request; heap used 1900MB of 2048MB; traffic flat",
  container_name: "buggy-app-v2",
  severity: "CRITICAL",
});

function write(name: string, data: unknown): void {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ measured_at: new Date().toISOString(), ...(data as object) }, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n${JSON.stringify(data, null, 2)}\n`);
}

const ms = (a: string, b: string) => new Date(b).getTime() - new Date(a).getTime();
const at = (i: IncidentResult, s: string) => i.timeline.find((t) => t.status === s)?.ts as string;

/** Webhook → RESOLVED for RESTART incidents on the demo app, by stage. */
async function restartLatency(n: number) {
  const proc = new ServerProcess(await prepareEnv({ RESTART_BUDGET_PER_HOUR: "100000", LOG_LEVEL: "error" }));
  await proc.start();
  try {
    const rows: Record<string, number>[] = [];
    for (let k = 0; k < n; k++) {
      const id = `lat-${Date.now()}-${k}`;
      const t0 = Date.now();
      await proc.client.request("POST", "/webhook", memoryLeak(id));
      const done = await proc.client.waitFor(id, (i) => i.status === "RESOLVED" || i.status === "FAILED", 60_000, 5);
      const total = Date.now() - t0;
      if (done.status !== "RESOLVED") throw new Error(`incident ${id} ${done.status}: ${done.error}`);
      const restart = ms(at(done, "EXECUTING"), at(done, "RESTARTED"));
      const verify = ms(at(done, "VERIFYING"), at(done, "RESOLVED"));
      rows.push({
        total_ms: total,
        receive_to_analysis_ms: ms(at(done, "RECEIVED"), at(done, "AI_COMPLETE")),
        council_ms: ms(at(done, "AI_COMPLETE"), at(done, "COUNCIL_DECISION")),
        decision_to_execute_ms: ms(at(done, "COUNCIL_DECISION"), at(done, "EXECUTING")),
        restart_ms: restart,
        verify_ms: verify,
        overhead_ms: total - restart - verify,
      });
    }
    const by = (k: string) => summary(rows.map((r) => r[k] as number));
    return {
      incidents: n,
      note: "overhead_ms = webhook-to-RESOLVED wall time minus the restart itself and the health verification",
      total_ms: by("total_ms"),
      overhead_ms: by("overhead_ms"),
      stages: {
        receive_to_analysis_ms: by("receive_to_analysis_ms"),
        council_ms: by("council_ms"),
        decision_to_execute_ms: by("decision_to_execute_ms"),
        restart_ms: by("restart_ms"),
        verify_ms: by("verify_ms"),
      },
    };
  } finally {
    await proc.cleanup();
  }
}

/** Durable dry-run ingest under wrk, side by side with Alertmanager and a bare Node server. */
/** Our server under wrk, on one database; with the incident count it durably stored. */
async function ingestInto(databaseUrl: string | undefined, scriptDir: string, durationSecs: number) {
  const proc = new ServerProcess(
    await prepareEnv({
      LOG_LEVEL: "error",
      AEGIS_DEMO_APP: "false",
      PIPELINE_CONCURRENCY: "4",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    }),
  );
  await proc.start();
  try {
    const pid = proc.child?.pid as number;
    await new Promise((r) => setTimeout(r, 1000));
    const idleRss = rssMb(pid);
    const headers = { "content-type": "application/json", "x-api-key": proc.apiKey };
    const body = JSON.stringify({ ...memoryLeak("__ID__"), dry_run: true });
    let peakRss = idleRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssMb(pid));
    }, 100);
    const result = await runWrk({
      scriptDir,
      connections: 32,
      threads: 2,
      durationSecs,
      url: proc.client.url,
      script: postScript("/webhook", headers, body),
    });
    clearInterval(sampler);
    return {
      database: databaseUrl ? "postgres" : "pglite",
      ...result,
      rss_mb: { idle: Math.round(idleRss), peak_under_load: Math.round(peakRss) },
    };
  } finally {
    await proc.cleanup();
  }
}

/** Durable dry-run ingest under wrk, side by side with Alertmanager and a bare Node server. */
async function ingest(durationSecs: number) {
  if (!hasWrk) return { skipped: "wrk is not installed (apt install wrk)" };
  const dir = mkdtempSync(join(tmpdir(), "aegis-bench-"));
  const common = { scriptDir: dir, connections: 32, threads: 2, durationSecs };
  const body = JSON.stringify({ ...memoryLeak("__ID__"), dry_run: true });
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const ours = await ingestInto(undefined, dir, durationSecs);
  const oursPg = pgUrl ? await ingestInto(pgUrl, dir, durationSecs) : null;

  const [amPort, barePort] = (await freePorts(2)) as [number, number];
  const am = await startAlertmanager(dir, amPort);
  const alert = JSON.stringify([
    {
      labels: { alertname: "MemoryLeak", instance: "__ID__", severity: "critical" },
      annotations: { summary: "heap out of memory" },
    },
  ]);
  const amResult = await runWrk({
    ...common,
    url: `http://127.0.0.1:${amPort}`,
    script: postScript("/api/v2/alerts", { "content-type": "application/json" }, alert),
  });
  am.kill("SIGKILL");
  const bare = await startBareNode(barePort);
  const bareResult = await runWrk({
    ...common,
    url: `http://127.0.0.1:${barePort}`,
    script: postScript("/", { "content-type": "application/json" }, body),
  });
  bare.kill("SIGKILL");
  return {
    load: "wrk, 2 threads, 32 connections, one dry-run webhook (unique incident_id) per request",
    aegis: ours,
    aegis_postgres: oursPg,
    alertmanager: amResult,
    bare_node: bareResult,
    ratio_to_alertmanager: Math.round((ours.rps / amResult.rps) * 100) / 100,
    ratio_to_bare_node: Math.round((ours.rps / bareResult.rps) * 100) / 100,
    ...(oursPg ? { postgres_ratio_to_alertmanager: Math.round((oursPg.rps / amResult.rps) * 100) / 100 } : {}),
  };
}

async function main() {
  const only = process.argv[2];
  if (!only || only === "latency")
    write("restart-latency", await restartLatency(Number(process.env.BENCH_INCIDENTS ?? 20)));
  if (only === "docker-restart")
    write("docker-restart", await dockerRestartBench(Number(process.env.BENCH_INCIDENTS ?? 10)));
  if (!only || only === "ingest") write("ingest", await ingest(Number(process.env.BENCH_SECS ?? 5)));
  if (!only || only === "search") write("runbook-search", await searchBench());
  if (!only || only === "incidents-list") {
    const opts = {
      incidents: Number(process.env.BENCH_INCIDENTS_LIST ?? 100_000),
      otherProjects: 10,
      othersEach: Number(process.env.BENCH_OTHERS_EACH ?? 10_000),
      requests: 500,
    };
    // Fresh databases are created on the TEST_DATABASE_URL server, as for the store tests.
    write("incidents-list", {
      pglite: await incidentsListBench("pglite", opts),
      postgres: process.env.TEST_DATABASE_URL
        ? await incidentsListBench("postgres", opts)
        : { skipped: "set TEST_DATABASE_URL" },
    });
  }
  if (!only || only === "scale-out") {
    write(
      "scale-out",
      process.env.TEST_DATABASE_URL
        ? await scaleOutBench(
            Number(process.env.BENCH_SCALE_INCIDENTS ?? 600),
            Number(process.env.BENCH_SCALE_CONCURRENCY ?? 32),
          )
        : { skipped: "set TEST_DATABASE_URL" },
    );
  }
  if (!only || only === "audit-export") {
    const rows = Number(process.env.BENCH_AUDIT_ROWS ?? 100_000);
    write("audit-export", {
      pglite: await auditExportBench("pglite", rows),
      postgres: process.env.TEST_DATABASE_URL
        ? await auditExportBench("postgres", rows)
        : { skipped: "set TEST_DATABASE_URL" },
    });
  }
  if (!only || only === "dashboard") {
    const opts = { incidents: Number(process.env.BENCH_DASHBOARD_INCIDENTS ?? 100_000), requests: 100 };
    write("dashboard", {
      pglite: await dashboardBench("pglite", opts),
      postgres: process.env.TEST_DATABASE_URL
        ? await dashboardBench("postgres", opts)
        : { skipped: "set TEST_DATABASE_URL" },
    });
  }
  if (!only || only === "login") write("login", await loginBench(Number(process.env.BENCH_SECS ?? 5)));
  if (!only || only === "stream") write("stream-overhead", await streamOverhead(20, 100));
  if (!only || only === "monitor") {
    const env = process.env;
    write(
      env.BENCH_MONITOR_STORE === "postgres" ? "monitor-postgres" : "monitor",
      await monitorBench({
        fleets: (env.BENCH_MONITOR_FLEETS ?? "1000,10000").split(",").map(Number),
        historyTicks: Number(env.BENCH_MONITOR_HISTORY ?? 120),
        ingestSecs: Number(env.BENCH_MONITOR_SECS ?? 10),
        batch: Number(env.BENCH_MONITOR_BATCH ?? 5000),
        connections: Number(env.BENCH_MONITOR_CONNECTIONS ?? 4),
        reads: Number(env.BENCH_MONITOR_READS ?? 100),
        settleSecs: Number(env.BENCH_MONITOR_SETTLE_SECS ?? 120),
        store: env.BENCH_MONITOR_STORE === "postgres" ? "postgres" : "pglite",
        serverNodeOptions: env.BENCH_MONITOR_NODE_OPTIONS,
        serverLog: env.BENCH_MONITOR_SERVER_LOG,
        serverLogLevel: env.BENCH_MONITOR_LOG_LEVEL,
      }),
    );
  }
  const dev = resolve(fileURLToPath(import.meta.url), "../../../../../../shared/data/scenarios/dev.jsonl");
  if (!only || only === "calibration") {
    write("confidence-calibration", await confidenceCalibration(process.env.SCENARIOS ?? dev));
  }
  if (!only || only === "alert-storm") {
    write(
      "alert-storm",
      await alertStormBench({
        alerts: Number(process.env.BENCH_STORM_ALERTS ?? 10_000),
        services: Number(process.env.BENCH_STORM_SERVICES ?? 50),
        concurrency: Number(process.env.BENCH_STORM_CONCURRENCY ?? 64),
        settleTimeoutMs: Number(process.env.BENCH_STORM_TIMEOUT_MS ?? 600_000),
      }),
    );
  }
  if (!only || only === "storm") {
    write(
      "pipeline-storm",
      await pipelineStormBench({
        alerts: Number(process.env.BENCH_STORM_DISTINCT_ALERTS ?? 5000),
        clients: Number(process.env.BENCH_STORM_CLIENTS ?? 32),
        wrkSecs: Number(process.env.BENCH_SECS ?? 5),
        settleTimeoutMs: Number(process.env.BENCH_STORM_TIMEOUT_MS ?? 600_000),
        idleSettleMs: Number(process.env.BENCH_STORM_IDLE_SETTLE_MS ?? 30_000),
        postgresUrl: process.env.TEST_DATABASE_URL,
        repeats: Number(process.env.BENCH_STORM_REPEATS ?? 3),
      }),
    );
  }
  if (!only || only === "council") {
    const { cases, ...summary } = await councilEval(process.env.SCENARIOS ?? dev);
    write("council-grounding", { ...summary, cases });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
