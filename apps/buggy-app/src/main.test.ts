import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// Runs the compiled app (dist/main.js), as the executor does: build before running.
const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

async function startApp(env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.stderr?.setEncoding("utf8").on("data", (c: string) => stderr.push(...c.split("\n").filter(Boolean)));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      for (const line of c.split("\n").filter(Boolean)) {
        stdout.push(line);
        const event = JSON.parse(line) as { event: string; port?: number };
        if (event.event === "listening" && event.port) resolve(event.port);
      }
    });
    void exit.then((code) => reject(new Error(`app exited early (${code}): ${stderr.join("\n")}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, stdout, stderr, exit };
}

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Received {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A stand-in for the product's /webhook; `statuses` are answered in order, then 200. */
async function webhookSink(statuses: number[] = []) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => {
      text += c.toString();
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(statuses.shift() ?? 200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("buggy app", () => {
  it("answers the seed endpoints", async () => {
    const app = await startApp({ APP_NAME: "demo", APP_VERSION: "v7", DB_LATENCY_MS: "150" });
    expect(await get(`${app.url}/health`)).toEqual({
      status: 200,
      body: { status: "ok", version: "v7", instance: "demo", pid: app.child.pid },
    });
    const first = await get(`${app.url}/trigger_memory`);
    const second = await get(`${app.url}/trigger_memory`);
    expect(first.body.message).toBe("Memory trigger activated");
    expect(second.body.current_memory_usage_mb as number).toBeGreaterThan(
      (first.body.current_memory_usage_mb as number) + 5,
    );
    expect((await get(`${app.url}/trigger_cpu`)).body.message).toBe("CPU trigger activated - factorial thread started");
    // The burner runs in a worker thread: the server still answers promptly.
    const t0 = Date.now();
    expect((await get(`${app.url}/health`)).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1000);
    const t1 = Date.now();
    expect((await get(`${app.url}/trigger_db_latency`)).body).toEqual({ message: "DB latency simulation completed" });
    expect(Date.now() - t1).toBeGreaterThanOrEqual(140);
    expect(await get(`${app.url}/nope`)).toEqual({ status: 404, body: { error: "not_found", path: "/nope" } });
    expect(app.stdout.some((line) => line.includes('"event":"trigger_memory"'))).toBe(true);
  });

  it("fails /health when running the version marked bad", async () => {
    const app = await startApp({ APP_VERSION: "v2", BAD_VERSION: "v2" });
    const { status, body } = await get(`${app.url}/health`);
    expect(status).toBe(500);
    expect(body).toMatchObject({ status: "error", version: "v2" });
  });

  it("exits 0 on SIGTERM", async () => {
    const app = await startApp();
    app.child.kill("SIGTERM");
    expect(await app.exit).toBe(0);
  });

  it("exits when its supervisor is gone", async () => {
    // Our parent is not pid 1, so the app believes it was orphaned.
    const app = await startApp({ AEGIS_SUPERVISOR_PID: "1" });
    expect(await app.exit).toBe(0);
  });

  it("refuses invalid configuration", async () => {
    await expect(startApp({ WATCHDOG_MEMORY_MB: "lots" })).rejects.toThrow(/WATCHDOG_MEMORY_MB/);
  });
});

describe("memory watchdog", () => {
  it("posts one Memory Leak incident per episode with the API key", async () => {
    const sink = await webhookSink();
    try {
      const app = await startApp({
        APP_NAME: "buggy-app-v2",
        WATCHDOG_URL: sink.url,
        WATCHDOG_API_KEY: "secret-key",
        WATCHDOG_MEMORY_MB: "1",
        WATCHDOG_INTERVAL_MS: "50",
      });
      await until(() => sink.received.length > 0, 5000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sink.received).toHaveLength(1);
      const [alert] = sink.received;
      expect(alert?.headers["x-api-key"]).toBe("secret-key");
      expect(alert?.headers["content-type"]).toBe("application/json");
      expect(alert?.body).toMatchObject({
        alert_type: "Memory Leak",
        container_name: "buggy-app-v2",
        severity: "CRITICAL",
      });
      expect(alert?.body.incident_id).toMatch(/^buggy-app-v2-mem-\d{13}$/);
      expect(Number.isNaN(Date.parse(alert?.body.timestamp as string))).toBe(false);
      expect(alert?.body.logs).toMatch(/RSS [\d.]+ MB exceeds threshold 1 MB/);
      expect(alert?.body.logs).toMatch(/heap_used=/);
      expect(app.stdout.some((line) => line.includes("watchdog_alert_sent"))).toBe(true);
    } finally {
      await sink.close();
    }
  });

  it("retries on the next tick when the webhook fails", async () => {
    const sink = await webhookSink([503]);
    try {
      const app = await startApp({ WATCHDOG_URL: sink.url, WATCHDOG_MEMORY_MB: "1", WATCHDOG_INTERVAL_MS: "50" });
      await until(() => sink.received.length >= 2, 5000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sink.received).toHaveLength(2);
      expect(sink.received[1]?.headers["x-api-key"]).toBeUndefined();
      expect(app.stderr.some((line) => line.includes("watchdog_alert_failed") && line.includes("503"))).toBe(true);
    } finally {
      await sink.close();
    }
  });
});
