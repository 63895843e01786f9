import { afterEach, expect, it } from "vitest";
import { prepareEnv, ServerProcess } from "../testing/test-server.js";

let proc: ServerProcess | undefined;
afterEach(async () => proc?.cleanup());

const restartIncident = (id: string) => ({
  incident_id: id,
  alert_type: "Memory Leak",
  logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request, heap used 1900MB of 2048MB; traffic flat",
  container_name: "buggy-app-v2",
  severity: "CRITICAL",
});

it("SIGKILL in the middle of a remediation: the restarted server finishes it exactly once", async () => {
  proc = new ServerProcess(await prepareEnv());
  await proc.start();
  const c = proc.client;
  const id = "crash-1";
  expect((await c.request("POST", "/webhook", restartIncident(id))).status).toBe(200);
  // Kill as soon as the action record is committed (EXECUTING), before the pipeline could finish.
  await c.waitFor(id, (i) => i.status === "EXECUTING" || i.status === "RESOLVED", 30_000, 5);
  await proc.kill("SIGKILL");

  await proc.start();
  const done = await c.waitFor(id, (i) => i.status === "RESOLVED" || i.status === "FAILED", 60_000);
  expect(done.status, done.error ?? "").toBe("RESOLVED");
  const statuses = done.timeline.map((t) => t.status);
  expect(statuses.filter((s) => s === "RECEIVED")).toHaveLength(1);
  expect(statuses.filter((s) => s === "AI_COMPLETE")).toHaveLength(1);
  expect(statuses.filter((s) => s === "COUNCIL_DECISION")).toHaveLength(1);
  expect(statuses.filter((s) => s === "EXECUTING")).toHaveLength(1);
  expect(statuses.filter((s) => s === "RESOLVED")).toHaveLength(1);
  expect(statuses).toContain("RESUMED");
  // Two server starts: seconds on an idle machine, a minute or more on a loaded CI host.
}, 180_000);

it("SIGKILL right after ingest: queued incidents are all processed after restart, none twice", async () => {
  proc = new ServerProcess(await prepareEnv());
  await proc.start();
  const c = proc.client;
  const ids = Array.from({ length: 20 }, (_, i) => `queued-${i}`);
  // Twenty distinct problems (alert grouping would rightly fold twenty identical alerts into one incident).
  await Promise.all(
    ids.map((id, k) =>
      c.request("POST", "/webhook", {
        ...restartIncident(id),
        alert_type: `Memory Leak (${String.fromCharCode(97 + k)})`,
        dry_run: true,
      }),
    ),
  );
  await proc.kill("SIGKILL");
  await proc.start();
  for (const id of ids) {
    // The decision and the status it leads to are committed together.
    const done = await c.waitFor(id, (i) => i.council_decision !== null, 60_000);
    expect(done.timeline.filter((t) => t.status === "COUNCIL_DECISION")).toHaveLength(1);
    expect(done.timeline.filter((t) => t.status === "RECEIVED")).toHaveLength(1);
  }
  // Two server starts and 20 incidents: ~12 s on an idle machine, several times that on a loaded CI host.
}, 180_000);

it("SIGTERM stops cleanly: exit 0, the demo app does not outlive the server", async () => {
  proc = new ServerProcess(await prepareEnv());
  await proc.start();
  const demo = `http://127.0.0.1:${proc.te.ports.demo}/health`;
  expect((await fetch(demo)).status).toBe(200);
  expect(await proc.kill("SIGTERM")).toBe(0);
  await expect(fetch(demo)).rejects.toThrow();
});

it("a bad configuration value stops start-up with a message naming the variable", async () => {
  proc = new ServerProcess(await prepareEnv({ MAX_REPLICAS: "lots" }));
  await expect(proc.start()).rejects.toThrow(/MAX_REPLICAS/);
});
