import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { injectApp, KEY } from "../api/test-inject-app.js";
import { IncidentResource } from "../engine/incident-resource.js";
import { IncidentRecorder } from "../engine/recorder.js";
import { InProcessEventBus } from "../events/event-bus.js";
import { DEFAULT_PROJECT_ID } from "../store/database.js";
import { IncidentResourceStore } from "../store/incident-resource-store.js";
import { IncidentStore, type NewIncident } from "../store/incident-store.js";
import { projects } from "../store/schema.js";
import { freshDatabase } from "../testing/test-databases.js";
import { summary } from "./stats.js";

export interface IncidentsListBenchOptions {
  /** Incidents in the project that lists. */
  incidents: number;
  /** Other tenants' projects, each with `othersEach` incidents, in the same tables. */
  otherProjects: number;
  othersEach: number;
  requests: number;
}

const incident = (projectId: string, i: number): NewIncident => ({
  projectId,
  id: `bench-${i}`,
  alertType: i % 3 === 0 ? "Memory Leak" : "High CPU",
  logs: `ERROR: incident ${i}: heap grows after every batch`,
  containerName: `svc-${i % 20}`,
  severity: i % 4 === 0 ? "CRITICAL" : "WARNING",
  alertTimestamp: null,
  context: null,
  dryRun: true,
});

/**
 * Latency of an authenticated `GET /api/v1/incidents?limit=20` over real HTTP, with the project's
 * incidents and other tenants' rows in the same tables. Rows are loaded through the store's batch
 * insert (incident + RECEIVED entry + queued job, as a webhook would), one minute apart.
 */
export async function incidentsListBench(kind: "pglite" | "postgres", o: IncidentsListBenchOptions) {
  const db = await freshDatabase(kind);
  try {
    const database = db.database;
    const store = new IncidentStore();
    const others = Array.from({ length: o.otherProjects }, (_, k) => `tenant-${k}`);
    await database.db.insert(projects).values(others.map((id) => ({ id, name: id })));
    const t0 = performance.now();
    const base = Date.now() - (o.incidents + 1) * 60_000;
    const load = async (projectId: string, n: number) => {
      const chunk = 5000;
      for (let i = 0; i < n; i += chunk) {
        const items = Array.from({ length: Math.min(chunk, n - i) }, (_, k) => incident(projectId, i + k));
        await store.createBatch(database.db, items, new Date(base + i * 60_000));
      }
    };
    await load(DEFAULT_PROJECT_ID, o.incidents);
    for (const p of others) await load(p, o.othersEach);
    await database.db.execute("analyze");
    const loadSecs = (performance.now() - t0) / 1000;

    const resource = new IncidentResource(
      database,
      new IncidentResourceStore(),
      store,
      new IncidentRecorder(database, store, new InProcessEventBus()),
      {
        open: async () => {
          throw new Error("the bench only lists");
        },
      },
    );
    const app = await injectApp({ incidentResource: resource });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/incidents`;
    try {
      /** Sequential requests after a warm-up; `check` refuses a wrong answer so a fast error never counts. */
      const measure = async (query: string, check: (body: unknown) => boolean) => {
        const once = async () => {
          const s = performance.now();
          const r = await fetch(`${endpoint}?${query}`, { headers: { "x-api-key": KEY } });
          const body = await r.json();
          if (r.status !== 200 || !check(body)) throw new Error(`unexpected answer ${r.status} to ${query}`);
          return performance.now() - s;
        };
        for (let i = 0; i < 20; i++) await once();
        const ms: number[] = [];
        for (let i = 0; i < o.requests; i++) ms.push(await once());
        return summary(ms);
      };
      const seed001 = (b: unknown) => {
        const body = b as { incidents: unknown[]; total: number };
        return body.incidents.length === 20 && body.total === o.incidents;
      };
      return {
        database: kind,
        incidents_in_project: o.incidents,
        other_projects: o.otherProjects,
        incidents_per_other_project: o.othersEach,
        load_secs: Math.round(loadSecs * 10) / 10,
        requests: o.requests,
        note: "sequential requests over HTTP with the API key; `limit=20` answers seed 001's envelope with the project's total (a count over every row of the project), `skip=0&limit=20` seed 002's bare array (no total)",
        latency_ms: await measure("limit=20", seed001),
        seed_002_page_latency_ms: await measure("skip=0&limit=20", (b) => (b as unknown[]).length === 20),
      };
    } finally {
      await app.close();
    }
  } finally {
    await db.cleanup();
  }
}
