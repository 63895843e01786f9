import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { AegisClient } from "@aegis/sdk";
import { loadConfig } from "../config/config.js";
import type { Analyst } from "../ports/analyst.js";
import { type AegisServer, startAegis } from "../server/aegis-server.js";
import { createLogger } from "../shared/logger.js";
import { pgliteDirFor } from "../store/database.js";
import { freePorts } from "./free-ports.js";
import { freshDatabase } from "./test-databases.js";

export const TEST_KEY = "test-key-0123456789abcdef";

export interface TestEnv {
  dataDir: string;
  env: Record<string, string>;
  ports: { api: number; demo: number; lb: number };
}

/** A data dir holding a migrated embedded database (copied from the template) and free ports. */
export async function prepareEnv(extra: Record<string, string> = {}): Promise<TestEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), "aegis-test-"));
  const tmp = await freshDatabase("pglite");
  await tmp.database.close();
  cpSync(tmp.pgliteDir as string, pgliteDirFor(dataDir), { recursive: true });
  await tmp.cleanup();
  const [api, demo, lb] = (await freePorts(3)) as [number, number, number];
  return {
    dataDir,
    ports: { api, demo, lb },
    env: {
      AEGIS_DATA_DIR: dataDir,
      AEGIS_PORT: String(api),
      DEMO_APP_PORT: String(demo),
      AEGIS_LB_PORT: String(lb),
      AEGIS_API_KEY: TEST_KEY,
      LOG_LEVEL: "warn",
      HEALTH_MAX_ATTEMPTS: "8",
      ...extra,
    },
  };
}

/** The server in this process (fast; used for API-level integration tests). */
export async function startInProcess(
  te: TestEnv,
  opts: { analyst?: Analyst } = {},
): Promise<{ server: AegisServer; client: AegisClient; stop: () => Promise<void> }> {
  const config = loadConfig(te.env);
  const server = await startAegis(config, { logger: createLogger("silent"), drainMs: 5000, ...opts });
  return {
    server,
    client: new AegisClient(server.url, server.apiKey),
    stop: async () => {
      await server.stop();
      rmSync(te.dataDir, { recursive: true, force: true });
    },
  };
}

const CLI = resolve(fileURLToPath(import.meta.url), "../../../dist/cli/main.js");

/** The real server as a child process (`aegis start`), for crash and signal tests. */
export class ServerProcess {
  child: ChildProcess | null = null;
  output = "";
  readonly apiKey = TEST_KEY;
  readonly client: AegisClient;

  constructor(readonly te: TestEnv) {
    this.client = new AegisClient(`http://127.0.0.1:${te.ports.api}`, this.apiKey);
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [CLI, "start"], {
      env: { ...process.env, ...this.te.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (d) => (this.output += d));
    this.child.stderr?.on("data", (d) => (this.output += d));
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      if (this.child.exitCode !== null) throw new Error(`server exited: ${this.output}`);
      try {
        const r = await fetch(`${this.client.url}/health`);
        if (r.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start: ${this.output}`);
  }

  /** Send a signal and wait for the process to exit; returns its exit code. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill(signal);
    return exited;
  }

  async cleanup(): Promise<void> {
    await this.kill("SIGKILL");
    rmSync(this.te.dataDir, { recursive: true, force: true });
  }
}
