import { cpus } from "node:os";
import pg from "pg";
import { freshDatabase } from "../testing/test-databases.js";
import { prepareEnv, ServerProcess } from "../testing/test-server.js";

const alert = (id: string) => ({
  incident_id: id,
  alert_type: "Memory Leak",
  logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request; heap used 1900MB of 2048MB; traffic flat",
  container_name: "buggy-app-v2",
  severity: "CRITICAL",
  dry_run: true,
});

/** One run: `processes` servers on one fresh PostgreSQL database, `incidents` webhooks spread over them. */
async function run(processes: number, incidents: number, concurrency: number) {
  const db = await freshDatabase("postgres");
  await db.database.close();
  const procs: ServerProcess[] = [];
  try {
    for (let i = 0; i < processes; i++) {
      procs.push(
        new ServerProcess(
          await prepareEnv({ DATABASE_URL: db.url as string, AEGIS_DEMO_APP: "false", LOG_LEVEL: "error" }),
        ),
      );
    }
    await Promise.all(procs.map((p) => p.start()));
    const t0 = performance.now();
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let k = next++; k < incidents; k = next++) {
          const r = await procs[k % processes]?.client.request("POST", "/webhook", alert(`bench-${processes}-${k}`));
          if (r?.status !== 200) failed++;
        }
      }),
    );
    const ingestMs = performance.now() - t0;
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      for (;;) {
        const r = await client.query<{ n: string }>("select count(*) as n from jobs where state <> 'done'");
        if (Number(r.rows[0]?.n ?? 0) === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await client.end();
    }
    const processedMs = performance.now() - t0;
    return {
      processes,
      incidents,
      failed,
      ingest_per_sec: Math.round((incidents / ingestMs) * 1000),
      ingest_ms: Math.round(ingestMs),
      processed_per_sec: Math.round((incidents / processedMs) * 10_000) / 10,
      processed_ms: Math.round(processedMs),
    };
  } finally {
    await Promise.all(procs.map((p) => p.cleanup()));
    await db.cleanup();
  }
}

/**
 * Ingest throughput (webhooks answered per second, concurrency `concurrency`) and pipeline throughput
 * (dry-run incidents through analysis and council per second) with 1, 2 and 3 processes on one PostgreSQL.
 */
export async function scaleOutBench(incidents: number, concurrency: number) {
  const runs = [];
  for (const n of [1, 2, 3]) runs.push(await run(n, incidents, concurrency));
  return {
    note: "all processes, PostgreSQL and the load generator share this machine; more processes add CPU contention, not cores",
    cores: cpus().length,
    concurrency,
    runs,
  };
}
