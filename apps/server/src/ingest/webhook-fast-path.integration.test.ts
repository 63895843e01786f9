import { rmSync } from "node:fs";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plainWebhookCount } from "../api/webhook-fast-handler.js";
import { prepareEnv, startInProcess, TEST_KEY, type TestEnv } from "../testing/test-server.js";
import { fastWebhookPayload } from "./fast-webhook-payload.js";

/**
 * The `/webhook` hot path against the general path, on two real servers (`AEGIS_WEBHOOK_FAST_PATH` on: the
 * plain `node:http` handler in front of Fastify, precompiled validation, prebuilt 200 body; off: Fastify's
 * route alone): every input, good or bad, and every request head (auth, content types, framing, paths,
 * methods, backpressure) gets the same status line, headers and body, byte for byte (the clock's
 * timestamps and request ids masked), and leaves the same audit entry and access-log row.
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

const mask = (raw: string) =>
  raw
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, "<time>")
    .replace(/\r\nDate: [^\r]*/, "\r\nDate: <date>")
    .replace(/"request_id":"[^"]*"/g, '"request_id":"<id>"');

/** One request over its own connection, as written; the whole response as received (status line, headers, body). */
async function exchange(url: string, request: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let got = Buffer.alloc(0);
    const complete = () => {
      const end = got.indexOf("\r\n\r\n");
      if (end < 0) return false;
      const length = /\r\ncontent-length: (\d+)/i.exec(got.subarray(0, end).toString("latin1"));
      return got.length >= end + 4 + Number(length?.[1] ?? 0);
    };
    socket.on("data", (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (complete()) {
        socket.destroy();
        resolve(got.toString("utf8"));
      }
    });
    socket.on("error", reject);
    socket.on("end", () => resolve(got.toString("utf8")));
  });
}

const key = { "x-api-key": TEST_KEY };
const json = { "content-type": "application/json" };
/** An HTTP/1.1 request's bytes: a stated length unless `chunked`. */
function request(method: string, path: string, headers: Record<string, string>, body = "", chunked = false): Buffer {
  const b = Buffer.from(body);
  const framing = chunked
    ? { "transfer-encoding": "chunked" }
    : method === "GET" && b.length === 0
      ? {}
      : { "content-length": String(b.length) };
  const head = Object.entries({ host: "localhost", ...headers, ...framing })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  const payload = chunked
    ? Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from("\r\n0\r\n\r\n")])
    : b;
  return Buffer.concat([Buffer.from(`${method} ${path} HTTP/1.1\r\n${head}\r\n`), payload]);
}

const statusOf = (raw: string) => Number(raw.slice(9, 12));

/** Request heads the plain handler must leave to Fastify, or answer exactly as Fastify (a good body each). */
const heads: [string, (body: string) => Buffer][] = [
  ["plain", (b) => request("POST", "/webhook", { ...json, ...key }, b)],
  [
    "user agent and accept",
    (b) => request("POST", "/webhook", { ...json, ...key, "user-agent": "am/0.27", accept: "*/*" }, b),
  ],
  [
    "charset in the type",
    (b) => request("POST", "/webhook", { "content-type": "application/json; charset=utf-8", ...key }, b),
  ],
  ["upper-case type", (b) => request("POST", "/webhook", { "content-type": "Application/JSON", ...key }, b)],
  ["text/plain", (b) => request("POST", "/webhook", { "content-type": "text/plain", ...key }, b)],
  ["no content type", (b) => request("POST", "/webhook", key, b)],
  ["chunked", (b) => request("POST", "/webhook", { ...json, ...key }, b, true)],
  ["query string", (b) => request("POST", "/webhook?src=am", { ...json, ...key }, b)],
  ["trailing slash", (b) => request("POST", "/webhook/", { ...json, ...key }, b)],
  ["GET", () => request("GET", "/webhook", key)],
  ["PUT", (b) => request("PUT", "/webhook", { ...json, ...key }, b)],
  ["no key", (b) => request("POST", "/webhook", json, b)],
  ["wrong key", (b) => request("POST", "/webhook", { ...json, "x-api-key": `${TEST_KEY}x` }, b)],
  ["empty key", (b) => request("POST", "/webhook", { ...json, "x-api-key": "" }, b)],
  ["bearer", (b) => request("POST", "/webhook", { ...json, authorization: `Bearer ${TEST_KEY}` }, b)],
  [
    "wrong key, right bearer",
    (b) => request("POST", "/webhook", { ...json, "x-api-key": "nope", authorization: `Bearer ${TEST_KEY}` }, b),
  ],
  ["wrong key, bad body", () => request("POST", "/webhook", { ...json, "x-api-key": "nope" }, "{")],
  ["key and a cookie", (b) => request("POST", "/webhook", { ...json, ...key, cookie: "access_token=zzz" }, b)],
  ["origin", (b) => request("POST", "/webhook", { ...json, ...key, origin: "https://elsewhere.example" }, b)],
  [
    "HTTP/1.0",
    (b) =>
      Buffer.from(
        request("POST", "/webhook", { ...json, ...key }, b)
          .toString()
          .replace("HTTP/1.1", "HTTP/1.0"),
      ),
  ],
  [
    "too large",
    () =>
      request(
        "POST",
        "/webhook",
        { ...json, ...key },
        JSON.stringify({ ...ok, incident_id: "BIG", logs: "x".repeat(2 * 1024 * 1024) }),
      ),
  ],
];

type Running = { te: TestEnv; url: string; stop: () => Promise<void> };

/** Two real servers for a describe block, hot path on (first) and off, with `env` besides. */
function onAndOff(env: Record<string, string> = {}): Running[] {
  const servers: Running[] = [];
  beforeAll(async () => {
    for (const fast of ["on", "off"]) {
      const te = await prepareEnv({
        AEGIS_DEMO_APP: "false",
        AEGIS_WEBHOOK_FAST_PATH: fast,
        LOG_LEVEL: "silent",
        ...env,
      });
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
  return servers;
}

describe("/webhook hot path vs the general path", () => {
  const servers = onAndOff();

  it("answers every good and bad input with the same status and bytes", async () => {
    const send = async (url: string, body: string, n: number) => {
      // Each good case gets its own id (so both servers create it); the repeats share one.
      const text = body.replace('"incident_id":"ID"', `"incident_id":"ID-${n}"`);
      return mask(await exchange(url, request("POST", "/webhook", { ...json, ...key }, text)));
    };
    const [fast, general] = servers as [Running, Running];
    let created = 0;
    const plain0 = plainWebhookCount();
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
      expect({ name, raw: a }).toEqual({ name, raw: b });
      if (statusOf(a) === 200) created++;
      else expect(statusOf(a), name).toBeGreaterThanOrEqual(400);
    }
    // The set really covers both sides: acceptances and refusals.
    expect(created).toBe(13);
    expect(cases.length - created).toBe(18);
    // The plain handler answered exactly the plainly valid ones itself; Fastify the rest.
    const plainly = cases.filter(([, body]) => fastWebhookPayload(parsedOrNull(body)) !== null).length;
    expect(plainly).toBeGreaterThan(5);
    expect(plainWebhookCount() - plain0).toBe(plainly);
  });

  it("answers every request head (auth, types, framing, paths, methods, size) with the same bytes", async () => {
    const [fast, general] = servers as [Running, Running];
    const plain0 = plainWebhookCount();
    const statuses: number[] = [];
    for (const [i, [name, make]] of heads.entries()) {
      const body = JSON.stringify({ ...ok, incident_id: `HEAD-${i}` });
      const a = mask(await exchange(fast.url, make(body)));
      const b = mask(await exchange(general.url, make(body)));
      expect({ name, raw: a }).toEqual({ name, raw: b });
      statuses.push(statusOf(a));
    }
    // Both sides are covered: accepted heads, refused ones (401, 404, 405, 415, 422).
    expect(new Set(statuses)).toEqual(new Set([200, 401, 404, 405, 415, 422]));
    // Taken by the plain handler: the plain head, with a user agent, with a cookie, with an origin (no CORS
    // configured), HTTP/1.0; every other one went to Fastify.
    expect(plainWebhookCount() - plain0).toBe(5);
  });

  it("leaves the same audit entries and access-log rows for every /webhook request", async () => {
    const rows = async (url: string) => {
      const get = async (path: string) =>
        (
          (await (await fetch(`${url}${path}`, { headers: key })).json()) as {
            data: { items: Record<string, unknown>[] };
          }
        ).data.items;
      // Written behind the answers (batched): read until every request so far is there.
      for (let k = 0; ; k++) {
        const audit = (await get("/api/v1/security/audit-logs?page_size=500&resource=/webhook")).reverse();
        const access = (await get("/api/v1/security/access-logs?limit=1000"))
          .filter((r) => r.method !== "GET" && String(r.path).startsWith("/webhook"))
          .reverse();
        // Every /webhook request but the GET is in the access log; every mutating one in the audit log but the
        // one to "/webhook/" (its resource is its own path).
        const sent = cases.length + heads.length;
        if ((audit.length >= sent - 2 && access.length >= sent - 1) || k > 100) return { audit, access };
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const [a, b] = await Promise.all(servers.map((s) => rows(s.url)));
    const auditForm = (e: Record<string, unknown>) => {
      const { id, seq, timestamp, prev_hash, hash, request_id, ...rest } = e;
      expect(request_id).toMatch(/^req-[0-9a-z]+$/);
      return rest;
    };
    const accessForm = (e: Record<string, unknown>) => {
      const { id, timestamp, latency_ms, request_id, ...rest } = e;
      expect(request_id).toMatch(/^req-[0-9a-z]+$/);
      return rest;
    };
    expect(a?.audit.length).toBe(cases.length + heads.length - 2);
    expect(a?.audit.map(auditForm)).toEqual(b?.audit.map(auditForm));
    expect(a?.access.length).toBe(cases.length + heads.length - 1);
    expect(a?.access.map(accessForm)).toEqual(b?.access.map(accessForm));
    // Request ids stay unique across both handlers (one counter).
    const ids = a?.access.map((r) => r.request_id) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("/webhook backpressure, hot path vs the general path", () => {
  const servers = onAndOff({ AEGIS_INGEST_MAX_BACKLOG: "8" });

  it("a full backlog answers 503 with Retry-After in the same bytes and records the refusal the same way", async () => {
    const plain0 = plainWebhookCount();
    const burst = async (url: string, tag: string) =>
      Promise.all(
        Array.from({ length: 300 }, async (_, k) =>
          mask(
            await exchange(
              url,
              request("POST", "/webhook", { ...json, ...key }, JSON.stringify({ ...ok, incident_id: `${tag}-${k}` })),
            ),
          ),
        ),
      );
    const [fast, general] = [
      await burst(servers[0]?.url as string, "BP"),
      await burst(servers[1]?.url as string, "BP"),
    ];
    expect(plainWebhookCount() - plain0).toBe(300);
    const refusedFast = fast.filter((r) => statusOf(r) === 503);
    const refusedGeneral = general.filter((r) => statusOf(r) === 503);
    expect(refusedFast.length).toBeGreaterThan(0);
    expect(refusedGeneral.length).toBeGreaterThan(0);
    expect(refusedFast[0]).toMatch(/\r\nretry-after: [1-9]\d*\r\n/);
    // The retry delay and the backlog's size at the refusal follow the timing: compare the answer with them masked.
    const same = (r: string) =>
      r
        .replace(/(retry-after: |retry in |retry after |backlog full \()\d+/g, "$1<n>")
        .replace(/content-length: \d+/, "");
    expect(same(refusedFast[0] as string)).toEqual(same(refusedGeneral[0] as string));
    for (const [i, s] of servers.entries()) {
      const answers = i === 0 ? fast : general;
      const audit = async () =>
        (
          (await (
            await fetch(`${s.url}/api/v1/security/audit-logs?page_size=500&resource=/webhook`, { headers: key })
          ).json()) as {
            data: { items: { status_code: number; outcome: string; after: Record<string, unknown> }[] };
          }
        ).data.items;
      let entries = await audit();
      for (let k = 0; entries.length < 300 && k < 100; k++) {
        await new Promise((r) => setTimeout(r, 100));
        entries = await audit();
      }
      // One entry per request, refused or not, each with its own status.
      expect(entries.filter((e) => e.status_code === 503 && e.outcome === "failure").length).toBe(
        answers.filter((r) => statusOf(r) === 503).length,
      );
      expect(entries.filter((e) => e.status_code === 200).length).toBe(
        answers.filter((r) => statusOf(r) === 200).length,
      );
      expect(entries.find((e) => e.status_code === 503)?.after).toMatchObject({
        alert_type: ok.alert_type,
        logs_chars: ok.logs.length,
      });
    }
  }, 120_000);
});

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
