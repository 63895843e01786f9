import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { injectApp, KEY } from "../api/test-inject-app.js";
import { createInsights } from "../insights/create-insights.js";
import { DEFAULT_PROJECT_ID } from "../store/database.js";
import { IncidentStore, type NewIncident } from "../store/incident-store.js";
import { freshDatabase } from "../testing/test-databases.js";
import { summary } from "./stats.js";

export interface DashboardBenchOptions {
  incidents: number;
  requests: number;
}

const ALERTS = ["Memory Leak", "High CPU", "Disk Full", "Latency Spike", "Crash Loop", "Certificate Expiry"];
const CATEGORIES = ["memory_leak", "cpu_runaway", "disk_full", "db_latency", "crashloop_config", "unknown"];

const incident = (i: number): NewIncident => ({
  projectId: DEFAULT_PROJECT_ID,
  id: `bench-${i}`,
  alertType: ALERTS[i % ALERTS.length] as string,
  logs: `ERROR: incident ${i}`,
  containerName: `svc-${i % 25}`,
  severity: ["CRITICAL", "WARNING", "high", "low"][i % 4] as string,
  alertTimestamp: null,
  context: null,
  dryRun: true,
});

/**
 * p50/p90/p99 of `GET /api/v1/dashboard/stats` and `GET /api/v1/analytics/patterns` over real HTTP with
 * `incidents` stored incidents spread over ~42 days: 70 % acknowledged, 50 % resolved (lifecycle
 * transitions), diagnosed categories, pipeline statuses and one action per five incidents.
 */
export async function dashboardBench(kind: "pglite" | "postgres", o: DashboardBenchOptions) {
  const tdb = await freshDatabase(kind);
  try {
    const database = tdb.database;
    const db = database.db;
    const store = new IncidentStore();
    const t0 = performance.now();
    for (let i = 0; i < o.incidents; i += 5000) {
      const items = Array.from({ length: Math.min(5000, o.incidents - i) }, (_, k) => incident(i + k));
      await store.createBatch(db, items);
    }
    const now = new Date();
    // One incident every 37 s back from now; categories, statuses and lifecycle by number.
    await db.execute(sql`update incidents set
        created_at = ${now}::timestamptz - (number * interval '37 seconds'),
        category = (array[${sql.join(
          CATEGORIES.map((c) => sql`${c}`),
          sql`, `,
        )}])[(number % 6) + 1],
        status = case when number % 5 = 0 then 'RESOLVED' when number % 5 = 1 then 'FAILED' else 'APPROVED' end,
        resolved_at = case when number % 5 = 0 then ${now}::timestamptz - (number * interval '37 seconds') + interval '3 minutes' end,
        lifecycle = case when number % 10 < 5 then 'resolved' when number % 10 < 7 then 'acknowledged' else 'detected' end`);
    await db.execute(sql`insert into incident_transitions (project_id, incident_id, from_state, to_state, at, principal_kind, principal_id)
        select project_id, id, 'detected', 'acknowledged', created_at + ((number % 600) * interval '1 second'), 'user', 'oncall-' || (number % 7)
        from incidents where number % 10 < 7`);
    await db.execute(sql`insert into incident_transitions (project_id, incident_id, from_state, to_state, at, principal_kind, principal_id)
        select project_id, id, 'acknowledged', 'resolved', created_at + ((number % 7200) * interval '1 second') + interval '10 minutes', 'user', 'oncall-' || (number % 7)
        from incidents where number % 10 < 5`);
    await db.execute(sql`insert into actions (project_id, incident_id, idempotency_key, kind, target, state, started_at)
        select project_id, id, id || '-1', 'RESTART', container_name, case when number % 25 = 0 then 'failed' else 'succeeded' end, created_at
        from incidents where number % 5 = 0`);
    // What autovacuum (PostgreSQL) or the embedded maintenance (PGlite) does after bulk changes like these:
    // the measured server is one that has been running, not one left with every row's dead versions.
    await db.execute("vacuum analyze");
    const loadSecs = (performance.now() - t0) / 1000;

    const app = await injectApp({ insights: createInsights(database) });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const measure = async (path: string, check: (data: Record<string, unknown>) => boolean) => {
        const once = async () => {
          const s = performance.now();
          const r = await fetch(`${base}${path}`, { headers: { "x-api-key": KEY } });
          const body = (await r.json()) as { data: Record<string, unknown> };
          if (r.status !== 200 || !check(body.data)) throw new Error(`unexpected answer ${r.status} to ${path}`);
          return performance.now() - s;
        };
        for (let i = 0; i < 5; i++) await once();
        const ms: number[] = [];
        for (let i = 0; i < o.requests; i++) ms.push(await once());
        return summary(ms);
      };
      return {
        database: kind,
        incidents: o.incidents,
        load_secs: Math.round(loadSecs * 10) / 10,
        requests: o.requests,
        note: "sequential requests over HTTP with the API key after 5 warm-up requests; incidents one every 37 s over ~42 days",
        dashboard_stats_ms: await measure("/api/v1/dashboard/stats", (d) => d.total_incidents === o.incidents),
        analytics_patterns_ms: await measure(
          "/api/v1/analytics/patterns?days=30&min_occurrences=3",
          (d) => Array.isArray(d.patterns) && d.patterns.length === ALERTS.length,
        ),
      };
    } finally {
      await app.close();
    }
  } finally {
    await tdb.cleanup();
  }
}
