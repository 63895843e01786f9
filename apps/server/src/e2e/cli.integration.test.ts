import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prepareEnv, startInProcess, TEST_KEY } from "../testing/test-server.js";

const CLI = resolve(fileURLToPath(import.meta.url), "../../../dist/cli/main.js");
let client: AegisClient;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ client, stop } = await startInProcess(await prepareEnv({ AEGIS_DEMO_APP: "false" })));
});
afterAll(async () => stop?.());

const env = () => ({ ...process.env, AEGIS_URL: client.url, AEGIS_API_KEY: TEST_KEY });

/** Run the CLI without blocking this process (the server under test lives here). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: env() });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

it("aegis incident send posts a webhook and aegis watch prints its frames", async () => {
  const watch = spawn(process.execPath, [CLI, "watch", "--json"], { env: env() });
  let out = "";
  watch.stdout.on("data", (d) => (out += d));
  await new Promise((r) => setTimeout(r, 800));

  const sent = await cli([
    "incident",
    "send",
    "--alert-type",
    "CPU Spike",
    "--logs",
    "CPU at 99% busy loop",
    "--id",
    "cli-1",
    "--dry-run",
  ]);
  expect(sent.status, sent.stderr).toBe(0);
  expect(JSON.parse(sent.stdout)).toMatchObject({ incident_id: "cli-1", status: "RECEIVED" });

  await client.waitFor("cli-1", (i) => i.council_decision !== null);
  await new Promise((r) => setTimeout(r, 300));
  watch.kill();
  const frames = out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { type: string; incident_id: string | null });
  const mine = new Set(frames.filter((f) => f.incident_id === "cli-1").map((f) => f.type));
  expect(mine).toContain("incident.new");
  expect(mine).toContain("council.decision");

  const got = await cli(["incident", "get", "cli-1"]);
  expect(JSON.parse(got.stdout).incident_id).toBe("cli-1");
  const missing = await cli(["incident", "get", "nope"]);
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain("404");
});
