import type { IncidentResult } from "@aegis/contracts";
import { prepareEnv, ServerProcess } from "../testing/test-server.js";
import { summary } from "./stats.js";

const memoryLeak = (id: string) => ({
  incident_id: id,
  alert_type: "Memory Leak",
  logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request; heap used 1900MB of 2048MB; traffic flat",
  container_name: "buggy-app-v2",
  severity: "CRITICAL",
});

const ms = (a: string | undefined, b: string | undefined) =>
  a && b ? new Date(b).getTime() - new Date(a).getTime() : Number.NaN;
const at = (i: IncidentResult, s: string) => i.timeline.find((t) => t.status === s)?.ts;

/**
 * RESTART → RESOLVED of the demo app, `n` incidents one after the other, on one executor:
 * the server runs as `aegis start` with AEGIS_EXECUTOR set, the demo app as its container or process.
 */
export async function restartToResolved(executor: "docker" | "local", n: number) {
  const proc = new ServerProcess(
    await prepareEnv({
      AEGIS_EXECUTOR: executor,
      AEGIS_DOCKER_NETWORK: `aegis-bench-${process.pid}`,
      RESTART_BUDGET_PER_HOUR: "100000",
      LOG_LEVEL: "error",
    }),
  );
  // First start builds the image when missing: not part of any incident's time.
  await proc.start();
  try {
    const rows: { total_ms: number; restart_ms: number; verify_ms: number; restart_to_resolved_ms: number }[] = [];
    for (let k = 0; k < n; k++) {
      const id = `bench-${executor}-${Date.now()}-${k}`;
      const t0 = Date.now();
      await proc.client.request("POST", "/webhook", memoryLeak(id));
      const done = await proc.client.waitFor(id, (i) => i.status === "RESOLVED" || i.status === "FAILED", 120_000, 5);
      const total = Date.now() - t0;
      if (done.status !== "RESOLVED") throw new Error(`incident ${id} ${done.status}: ${done.error}`);
      rows.push({
        total_ms: total,
        restart_ms: ms(at(done, "EXECUTING"), at(done, "RESTARTED")),
        verify_ms: ms(at(done, "VERIFYING"), at(done, "RESOLVED")),
        restart_to_resolved_ms: ms(at(done, "EXECUTING"), at(done, "RESOLVED")),
      });
    }
    const by = (k: keyof (typeof rows)[number]) => summary(rows.map((r) => r[k]));
    return {
      executor,
      incidents: n,
      restart_to_resolved_ms: by("restart_to_resolved_ms"),
      restart_ms: by("restart_ms"),
      verify_ms: by("verify_ms"),
      webhook_to_resolved_ms: by("total_ms"),
    };
  } finally {
    await proc.kill("SIGTERM");
    await proc.cleanup();
  }
}

/** `npm run bench -- docker-restart`: the Docker executor, with the local executor beside it for scale. */
export async function dockerRestartBench(n: number) {
  const docker = await restartToResolved("docker", n);
  const local = await restartToResolved("local", n);
  return {
    note: "restart_to_resolved_ms = EXECUTING → RESOLVED on the incident's timeline: the engine's restart (SIGTERM, 3 s grace, start), readiness, then the verifier's health probe",
    docker,
    local,
  };
}
