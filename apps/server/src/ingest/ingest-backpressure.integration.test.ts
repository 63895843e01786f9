import type { IncidentResult } from "@aegis/contracts";
import { afterEach, expect, it } from "vitest";
import { prepareEnv, ServerProcess } from "../testing/test-server.js";

let proc: ServerProcess | undefined;
afterEach(async () => proc?.cleanup());

const alert = (id: string) => ({
  incident_id: id,
  alert_type: `Disk full ${id}`,
  logs: "ENOSPC: no space left on device",
  container_name: `svc-${id}`,
  severity: "HIGH",
  dry_run: true,
});

it("a full ingest backlog answers 503 with Retry-After in seed 000's envelope; every alert answered 200 survives a SIGKILL", async () => {
  proc = new ServerProcess(await prepareEnv({ AEGIS_INGEST_MAX_BACKLOG: "8", LOG_LEVEL: "error" }));
  await proc.start();
  const headers = { "content-type": "application/json", "x-api-key": proc.apiKey };
  const accepted: string[] = [];
  const refused: { status: number; retryAfter: string | null; body: Record<string, unknown> }[] = [];
  // A burst far above the bound, all at once.
  await Promise.all(
    Array.from({ length: 300 }, async (_, k) => {
      const id = `bp-${k}`;
      const r = await fetch(`${proc?.client.url}/webhook`, {
        method: "POST",
        headers,
        body: JSON.stringify(alert(id)),
      });
      const body = (await r.json()) as Record<string, unknown>;
      if (r.status === 200) {
        expect(body.incident_id).toBe(id);
        expect(body.status).toBe("RECEIVED");
        accepted.push(id);
      } else refused.push({ status: r.status, retryAfter: r.headers.get("retry-after"), body });
    }),
  );
  expect(refused.length).toBeGreaterThan(0);
  expect(accepted.length).toBeGreaterThan(0);
  for (const r of refused) {
    expect(r.status).toBe(503);
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
    expect(r.body.code).toBe("unavailable");
    expect(typeof r.body.error).toBe("string");
  }

  // Killed at once: what was answered 200 is on disk and comes back.
  await proc.kill("SIGKILL");
  await proc.start();
  const list = (await proc.client.request("GET", "/incidents?limit=5000")).body as IncidentResult[];
  const stored = new Set(list.map((i) => i.incident_id));
  for (const id of accepted) expect(stored.has(id), id).toBe(true);

  // A refused alert sent again once the backlog drained is accepted.
  const again = await proc.client.request("POST", "/webhook", alert("bp-retry"));
  expect(again.status).toBe(200);
}, 180_000);
