import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { IntegrationStore } from "../store/integration-store.js";
import { freePorts } from "../testing/free-ports.js";
import { freshDatabase, type TestDatabase } from "../testing/test-databases.js";
import { IntegrationRegistry } from "./integration-registry.js";
import { SecretBox } from "./secret-box.js";

const PROMETHEUS = "/usr/bin/prometheus";
const required = process.env.AEGIS_REQUIRE_POSTGRES === "1";
const present = existsSync(PROMETHEUS);
if (!present && required) throw new Error(`${PROMETHEUS} is required (AEGIS_REQUIRE_POSTGRES=1) but absent`);

/** Debian's real Prometheus, scraping itself, with a rule that always fires: test and sync read it as a user's would. */
describe.skipIf(!present)("a real Prometheus server", () => {
  let proc: ChildProcess;
  let dir: string;
  let url: string;
  let t: TestDatabase;

  beforeAll(async () => {
    const [port] = await freePorts(1);
    url = `http://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), "aegis-prom-"));
    writeFileSync(
      join(dir, "rules.yml"),
      "groups:\n  - name: aegis\n    interval: 1s\n    rules:\n      - alert: AegisAlwaysFiring\n        expr: vector(1)\n        labels:\n          severity: critical\n",
    );
    writeFileSync(
      join(dir, "prometheus.yml"),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: ["${join(dir, "rules.yml")}"]\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ["127.0.0.1:${port}"]\n`,
    );
    proc = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: "ignore" },
    );
    const end = Date.now() + 20_000;
    for (;;) {
      const ready = await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > end) throw new Error("prometheus did not become ready");
      await new Promise((r) => setTimeout(r, 200));
    }
    t = await freshDatabase("pglite");
  }, 60_000);

  afterAll(async () => {
    proc?.kill("SIGTERM");
    await t?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("test runs `up` against it; sync pulls its firing alert; a wrong URL reports the error", async () => {
    const registry = new IntegrationRegistry(t.database, new IntegrationStore(), new SecretBox(randomBytes(32)), 3000);
    await registry.create(P, { name: "prom", type: "prometheus", config: { url } });
    // The first scrape and rule evaluation land within a few seconds.
    let test = await registry.test(P, "prom");
    let sync = await registry.sync(P, "prom");
    const end = Date.now() + 15_000;
    while ((!test.detail.includes("1 up") || sync.items.length === 0) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 500));
      test = await registry.test(P, "prom");
      sync = await registry.sync(P, "prom");
    }
    expect(test).toMatchObject({ success: true, detail: "query up: 1 targets, 1 up", error: null });
    expect(test.latency_ms).toBeGreaterThan(0);
    expect(sync.detail).toBe("1 active alerts (1 firing)");
    expect(sync.items[0]).toMatchObject({
      labels: { alertname: "AegisAlwaysFiring", severity: "critical" },
      state: "firing",
    });

    await registry.configure(P, "prom", { config: { url: `${url}/nowhere` } });
    const wrong = await registry.test(P, "prom");
    expect(wrong.success).toBe(false);
    expect(wrong.error).toMatch(/HTTP 404/);
  }, 40_000);
});
