import { type ContainerMetrics, type IncidentResult, WsFrame } from "@aegis/contracts";
import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prepareEnv, startInProcess, type TestEnv } from "../testing/test-server.js";

let te: TestEnv;
let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  te = await prepareEnv({ DEMO_MEMORY_THRESHOLD_MB: "150", METRICS_INTERVAL_SECS: "0.5" });
  ({ client, stop } = await startInProcess(te));
});
afterAll(async () => stop?.());

const demoMemory = async () => {
  const m = (await client.request("GET", "/metrics")).body as unknown as ContainerMetrics[];
  return m.find((x) => x.name === "buggy-app-v2")?.memory_mb ?? 0;
};

it("memory leak end to end: trigger → watchdog webhook → RESTART → memory down → RESOLVED → learned", async () => {
  const sock = await client.socket();
  const before = await demoMemory();

  // Leak through the load balancer until the demo app's watchdog posts its own webhook.
  for (let i = 0; i < 80 && !sock.frames.some((f) => f.type === "incident.new"); i++) {
    // A steady leak (not one burst), so the watchdog sees the growth over several samples.
    const r = await fetch(`http://127.0.0.1:${te.ports.lb}/trigger_memory`);
    // The remediation can be that fast: a restart in progress briefly leaves no healthy upstream.
    if (r.status === 502 && sock.frames.some((f) => f.type === "incident.new")) break;
    expect(r.status).toBe(200);
    await new Promise((r) => setTimeout(r, 250));
  }
  const first = await sock.waitFor((f) => f.type === "incident.new", 15_000);
  const id = first.incident_id as string;
  // The peak the executor reported (metrics frames) before the remediation.
  const peakOf = () =>
    Math.max(
      ...sock.frames
        .filter((f) => f.type === "metrics")
        .flatMap((f) =>
          (f.data as ContainerMetrics[]).filter((m) => m.name === "buggy-app-v2").map((m) => m.memory_mb),
        ),
    );

  const done = await client.waitFor(id, (i) => i.status === "RESOLVED" || i.status === "FAILED", 60_000);
  expect(done.status, done.error ?? "").toBe("RESOLVED");
  expect(done.analysis?.action).toBe("RESTART");
  expect(done.council_decision?.final_verdict).toBe("APPROVED");
  expect(done.resolved_at).not.toBeNull();
  expect(done.timeline.map((t) => t.status)).toEqual([
    "RECEIVED",
    "RAG_RETRIEVAL",
    "ANALYSING",
    "AI_COMPLETE",
    "COUNCIL_REVIEW",
    "COUNCIL_VOTE",
    "COUNCIL_VOTE",
    "COUNCIL_VOTE",
    "COUNCIL_DECISION",
    "APPROVED",
    "EXECUTING",
    "RESTARTED",
    "VERIFYING",
    "RESOLVED",
  ]);
  const leaked = peakOf();
  expect(leaked).toBeGreaterThan(before + 50);
  expect(await demoMemory()).toBeLessThan(leaked - 50);

  // Every frame type of the pipeline arrived, in the seed's envelope.
  await sock.waitFor((f) => f.type === "resolved" && f.incident_id === id);
  await sock.waitFor((f) => f.type === "metrics");
  await sock.waitFor((f) => f.type === "container.list");
  const types = new Set(sock.frames.filter((f) => f.incident_id === id).map((f) => f.type));
  for (const t of [
    "incident.new",
    "status.update",
    "ai.thinking",
    "ai.stream",
    "ai.complete",
    "council.vote",
    "council.decision",
    "docker.action",
    "health.check",
    "resolved",
  ]) {
    expect(types, t).toContain(t);
  }
  const stream = sock.frames.filter((f) => f.type === "ai.stream" && f.incident_id === id);
  const last = stream.at(-1)?.data as { full_text: string };
  expect(last.full_text).toBe(stream.map((f) => (f.data as { chunk: string }).chunk).join(""));
  for (const f of sock.frames) {
    expect(Object.keys(f).sort()).toEqual(["data", "incident_id", "timestamp", "type"]);
    // Every frame the server sent parses with its type's payload schema.
    expect(WsFrame.safeParse(f).error).toBeUndefined();
  }

  // ping → heartbeat
  sock.ws.send("ping");
  await sock.waitFor((f) => f.type === "heartbeat" && (f.data as { status: string }).status === "alive");
  sock.ws.close();

  // Learned: the knowledge base holds the incident and retrieves it for similar logs.
  const runbook = (await client.request("GET", "/runbook")).body as unknown as {
    entries: { incident_id: string; action: string }[];
    total: number;
  };
  expect(runbook.entries.find((e) => e.incident_id === id)?.action).toBe("RESTART");
  const rag = (
    await client.request("GET", `/rag/test?logs=${encodeURIComponent("memory leak rss above threshold heap growing")}`)
  ).body as unknown as {
    retrieved: { incident_id: string; similarity_score: number }[];
  };
  expect(rag.retrieved[0]?.incident_id).toBe(id);
  expect(rag.retrieved[0]?.similarity_score).toBeGreaterThan(0);

  // The same alert again, right after the fix: a recurrence. The first fix is marked REOPENED, and
  // the new incident still sees the first as a similar past incident.
  const next = `${id}-again`;
  await client.request("POST", "/webhook", {
    incident_id: next,
    alert_type: "Memory Leak",
    logs: done.timeline[0]?.message ?? "memory leak",
    container_name: "buggy-app-v2",
    dry_run: true,
  });
  const again = (await client.waitFor(next, (i) => i.council_decision !== null)) as IncidentResult;
  const retrieval = again.timeline.filter((t) => t.status === "RAG_RETRIEVAL").map((t) => t.message);
  expect(retrieval[0]).toMatch(new RegExp(`^Recurrence of ${id} `));
  expect(retrieval.some((m) => /Retrieved \d+ similar/.test(m))).toBe(true);
  const learned = (await client.request("GET", "/runbook")).body as unknown as {
    entries: { incident_id: string; outcome?: string }[];
  };
  expect(learned.entries.find((e) => e.incident_id === id)?.outcome).toBe("REOPENED");
});
