import { describe, expect, it } from "vitest";
import { BuiltinAnalyst } from "./builtin-analyst.js";
import { context, incident, recordingSink } from "./test-helpers.js";

const analyst = new BuiltinAnalyst();
const run = (input: Parameters<BuiltinAnalyst["analyse"]>[0]) => analyst.analyse(input, recordingSink());

const REFUSED = [
  "2026-09-01T10:03:00Z ERROR api: connect ECONNREFUSED 10.0.7.7:6379",
  "2026-09-01T10:03:01Z ERROR api: connect ECONNREFUSED 10.0.7.7:6379",
].join("\n");

describe("BuiltinAnalyst on mixed evidence", () => {
  it("blames a config change made minutes before connection errors, and the dependency otherwise", async () => {
    const changed = await run(
      incident(REFUSED, {
        context: context({
          metrics: { cpu_percent: 4 },
          recent_deploys: [
            { version: "v2.1.0", previous: "v2.0.9", at: "2026-09-01T10:01:00Z", change: "CACHE_HOST env var changed" },
          ],
        }),
      }),
    );
    expect(changed.analysis.action).toBe("ROLLBACK");
    const untouched = await run(incident(REFUSED, { context: context({ metrics: { cpu_percent: 4 } }) }));
    expect(untouched.analysis.action).toBe("NOOP");
    expect(untouched.category).toBe("dependency_outage");
  });

  it("restarts only when the full disk is the app's own scratch space", async () => {
    const scratch = await run(
      incident(
        "ERROR render: ENOSPC: no space left on device, write '/tmp/render-81.png'\nvolume /tmp is an emptyDir; 14,000 orphan files left by failed renders, never cleaned",
      ),
    );
    expect(scratch.analysis.action).toBe("RESTART");
    const data = await run(
      incident(
        "ERROR writer: OSError: [Errno 28] No space left on device: '/data/segments/0042.log'\nPVC data-writer-0 100% used",
      ),
    );
    expect(data.analysis.action).toBe("NOOP");
    expect(data.category).toBe("disk_full");
  });

  it("scales an idle fleet down to a smaller count, never below two", async () => {
    const r = await run(
      incident("kubecost: deployment docs-api idle, 9 replicas using 0.2 cores", {
        severity: "INFO",
        context: context({ replicas: 9, metrics: { cpu_percent: 2, memory_percent: 10, rps: 3, error_rate: 0 } }),
      }),
    );
    expect(r.analysis.action).toBe("SCALE_DOWN");
    expect(r.analysis.replica_count).toBeGreaterThanOrEqual(2);
    expect(r.analysis.replica_count).toBeLessThan(9);
  });

  it("leaves a blip that already recovered alone", async () => {
    const r = await run(
      incident(
        "2026-09-02T03:00:04Z WARN Readiness probe failed: HTTP probe failed with statuscode: 503\n2026-09-02T03:00:40Z Readiness probe succeeded\nalertmanager: [RESOLVED] PodNotReady",
        { severity: "INFO" },
      ),
    );
    expect(r.analysis.action).toBe("NOOP");
    expect(r.category).toBe("noise");
  });

  it("reads CPU saturation under a real surge as capacity, not as a runaway", async () => {
    const r = await run(
      incident(
        "[2026-09-03 12:00:00 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:41)\nINFO traffic: rps 2400 (same hour yesterday 700); db ok",
        {
          context: context({ replicas: 2, metrics: { cpu_percent: 98 } }),
        },
      ),
    );
    expect(r.analysis.action).toBe("SCALE_UP");
    expect(r.analysis.replica_count).toBeLessThanOrEqual(5);
  });

  it("is more confident with more independent evidence", async () => {
    const thin = await run(incident("WARN app: Memory usage at 91% (1864 MB / 2048 MB)"));
    const rich = await run(
      incident(
        "WARN app: Memory usage at 91% (1864 MB / 2048 MB)\nWARN app: Memory usage at 97% (1987 MB / 2048 MB)\nERROR java.lang.OutOfMemoryError: Java heap space",
        { context: context({ metrics: { rps: 100, memory_percent: 97 }, baseline: { rps: 100 } }) },
      ),
    );
    expect(thin.analysis.confidence).toBeLessThan(0.6);
    expect(rich.analysis.confidence).toBeGreaterThan(0.85);
  });
});
