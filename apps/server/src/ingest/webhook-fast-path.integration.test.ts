import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess, TEST_KEY, type TestEnv } from "../testing/test-server.js";

/**
 * The `/webhook` hot path (precompiled validation, prebuilt 200 body) against the general path, on two
 * real servers: every input, good or bad, gets the same status and the same body, byte for byte (the
 * clock's timestamps masked).
 */

// Dry runs never group, so what a repeat reads back does not depend on how alerts fell into load batches.
const ok = { incident_id: "ID", alert_type: "Memory Leak", logs: "heap grows", dry_run: true };
const long = (n: number, c = "x") => c.repeat(n);
const cases: [string, string][] = [
  ["minimal", JSON.stringify(ok)],
  [
    "every seed field",
    JSON.stringify({
      ...ok,
      container_name: "buggy-app-v2",
      severity: "CRITICAL",
      timestamp: "2026-12-06T10:00:00Z",
      dry_run: true,
    }),
  ],
  ["nulls", JSON.stringify({ ...ok, container_name: null, severity: null, timestamp: null, context: null })],
  ["no dry_run", JSON.stringify({ incident_id: "ID", alert_type: "Disk Full", logs: "disk at 99%" })],
  ["escapes", JSON.stringify({ ...ok, alert_type: 'a "quoted"\n\t\\ \u2028 \u0001 é 😀', logs: "</script>" })],
  ["bounds", JSON.stringify({ ...ok, incident_id: long(200), alert_type: long(500), severity: long(40) })],
  ["astral at the bound", JSON.stringify({ ...ok, incident_id: long(100, "😀") })],
  ["context", JSON.stringify({ ...ok, context: { service: "api", replicas: 2 } })],
  ["unknown key (stripped)", JSON.stringify({ ...ok, extra: 1 })],
  ["dry_run false", JSON.stringify({ ...ok, dry_run: false })],
  ["repeat", JSON.stringify({ ...ok, incident_id: "REPEAT" })],
  ["repeat again (once decided on both)", JSON.stringify({ ...ok, incident_id: "REPEAT", alert_type: "other" })],
  ["missing incident_id", JSON.stringify({ alert_type: "x", logs: "" })],
  ["empty incident_id", JSON.stringify({ ...ok, incident_id: "" })],
  ["incident_id too long", JSON.stringify({ ...ok, incident_id: long(201) })],
  ["astral past the bound", JSON.stringify({ ...ok, incident_id: long(101, "😀") })],
  ["alert_type a number", JSON.stringify({ ...ok, alert_type: 7 })],
  ["logs missing", JSON.stringify({ incident_id: "a", alert_type: "b" })],
  ["container_name empty", JSON.stringify({ ...ok, container_name: "" })],
  ["severity too long", JSON.stringify({ ...ok, severity: long(41) })],
  ["timestamp too long", JSON.stringify({ ...ok, timestamp: long(65) })],
  ["dry_run a string", JSON.stringify({ ...ok, dry_run: "yes" })],
  ["dry_run null", JSON.stringify({ ...ok, dry_run: null })],
  ["context a string", JSON.stringify({ ...ok, context: "api" })],
  ["array", JSON.stringify([ok])],
  ["string", JSON.stringify("x")],
  ["null", "null"],
  ["number", "42"],
  ["not JSON", "{incident_id:"],
  ["empty", ""],
  ["__proto__ key", '{"incident_id":"P","alert_type":"a","logs":"","__proto__":{"x":1}}'],
];

const mask = (body: string) =>
  body
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, "<time>")
    .replace(/"request_id":"[^"]*"/g, '"request_id":"<id>"');

describe("/webhook hot path vs the general path", () => {
  const servers: { te: TestEnv; url: string; stop: () => Promise<void> }[] = [];
  beforeAll(async () => {
    for (const fast of ["on", "off"]) {
      const te = await prepareEnv({ AEGIS_DEMO_APP: "false", AEGIS_WEBHOOK_FAST_PATH: fast, LOG_LEVEL: "silent" });
      const s = await startInProcess(te);
      servers.push({ te, url: s.client.url, stop: s.stop });
    }
  }, 60_000);
  afterAll(async () => {
    for (const s of servers) {
      await s.stop();
      rmSync(s.te.dataDir, { recursive: true, force: true });
    }
  });

  it("answers every good and bad input with the same status and bytes", async () => {
    const send = async (url: string, body: string, n: number) => {
      // Each good case gets its own id (so both servers create it); the repeats share one.
      const text = body.replace('"incident_id":"ID"', `"incident_id":"ID-${n}"`);
      const res = await fetch(`${url}/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": TEST_KEY },
        body: text,
      });
      return { status: res.status, type: res.headers.get("content-type"), body: mask(await res.text()) };
    };
    const [fast, general] = servers as [(typeof servers)[0], (typeof servers)[0]];
    let created = 0;
    const decided = async (url: string) => {
      for (let k = 0; k < 300; k++) {
        const r = await fetch(`${url}/incidents/REPEAT`, { headers: { "x-api-key": TEST_KEY } });
        if (r.ok && ((await r.json()) as { council_decision: unknown }).council_decision) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("REPEAT was never decided");
    };
    for (const [i, [name, body]] of cases.entries()) {
      // A repeat reads the stored incident back: compare once both servers have taken it equally far.
      if (name.startsWith("repeat again")) await Promise.all(servers.map((s) => decided(s.url)));
      const a = await send(fast.url, body, i);
      const b = await send(general.url, body, i);
      expect({ name, ...a }).toEqual({ name, ...b });
      if (a.status === 200) created++;
      else expect(a.status, name).toBeGreaterThanOrEqual(400);
    }
    // The set really covers both sides: acceptances and refusals.
    expect(created).toBe(13);
    expect(cases.length - created).toBe(18);
  });
});
