import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { AegisClient } from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

const run = promisify(execFile);
const CLI = resolve(fileURLToPath(import.meta.url), "../../../dist/cli/main.js");

let client: AegisClient;
let stop: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  ({ client, stop } = await startInProcess(await prepareEnv({ AEGIS_DEMO_APP: "false" })));
  dir = mkdtempSync(join(tmpdir(), "aegis-runbooks-"));
  mkdirSync(join(dir, "kubernetes"));
  mkdirSync(join(dir, "node"));
  writeFileSync(join(dir, "kubernetes", "_index.md"), "---\ntitle: section stub\n---\n");
  writeFileSync(
    join(dir, "kubernetes", "KubePodCrashLooping.md"),
    "---\ntitle: Kube Pod Crash Looping\ntags: [pods]\n---\n# KubePodCrashLooping\n\nThe container keeps restarting (CrashLoopBackOff).\n",
  );
  writeFileSync(join(dir, "node", "NodeClockSkewDetected.md"), "# Node Clock Skew Detected\n\nNTP is not in sync.\n");
  writeFileSync(
    join(dir, "corpus.jsonl"),
    `${JSON.stringify({ id: "etcd/etcdNoLeader", title: "etcd No Leader", service: "etcd", body: "No raft leader." })}\n`,
  );
});
afterAll(async () => {
  await stop?.();
  rmSync(dir, { recursive: true, force: true });
});

const aegis = (...args: string[]) =>
  run(process.execPath, [CLI, ...args], {
    env: { ...process.env, AEGIS_URL: client.url, AEGIS_API_KEY: client.apiKey },
  });

describe("aegis runbook import", () => {
  it("imports a folder of markdown with a progress bar, idempotently", async () => {
    const first = await aegis("runbook", "import", dir);
    expect(first.stderr).toMatch(/\[#+\] 2\/2 runbooks/);
    expect(first.stderr).toContain("imported 2/2 (2 new, 0 updated)");
    const rb = await client.request("GET", `/api/v1/runbooks/${encodeURIComponent("kubernetes/KubePodCrashLooping")}`);
    expect(rb.body).toMatchObject({ title: "Kube Pod Crash Looping", service: "kubernetes", tags: ["pods"] });
    const node = await client.request("GET", `/api/v1/runbooks/${encodeURIComponent("node/NodeClockSkewDetected")}`);
    expect(node.body).toMatchObject({ title: "Node Clock Skew Detected", service: "node" });
    const again = await aegis("runbook", "import", dir);
    expect(again.stderr).toContain("imported 2/2 (0 new, 2 updated)");
  });

  it("imports corpus.jsonl files and searches from the command line", async () => {
    const r = await aegis("runbook", "import", join(dir, "corpus.jsonl"));
    expect(r.stderr).toContain("imported 1/1 (1 new, 0 updated)");
    const s = await aegis("runbook", "search", "etcd", "lost", "its", "leader");
    expect(s.stdout.split("\n")[0]).toContain("etcd/etcdNoLeader");
  });

  it("exits non-zero and names the runbooks that failed", async () => {
    writeFileSync(join(dir, "bad.jsonl"), `${JSON.stringify({ id: "x", title: "", service: "s", body: "b" })}\n`);
    const failed = await aegis("runbook", "import", join(dir, "bad.jsonl")).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(/failed x: 422/);
  });
});
