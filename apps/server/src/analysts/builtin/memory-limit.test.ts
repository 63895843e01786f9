import { describe, expect, it } from "vitest";
import { BuiltinAnalyst } from "./builtin-analyst.js";
import { memoryLimit } from "./limit-signals.js";
import { buildLogView } from "./log-view.js";
import { extractSignals } from "./signals.js";
import { incident } from "./test-helpers.js";

const kinds = (logs: string) => [...extractSignals(incident(logs)).best.keys()];

async function diagnose(logs: string, alertType = "KubePodCrashLooping") {
  const sink = { thinking: () => {}, token: () => {} };
  return new BuiltinAnalyst().analyse(incident(logs, { alertType, containerName: "report-worker" }), sink);
}

/** A pod killed within seconds of every start, with a small limit: its normal working set does not fit. */
const LOW_LIMIT = `Name:         report-worker-5d8c7f6b9-x2x7q
Namespace:    reports
Status:       Running
Containers:
  worker:
    Image:          registry.local/report-worker:3.4.1
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Tue, 03 Nov 2026 10:14:02 +0000
      Finished:     Tue, 03 Nov 2026 10:14:09 +0000
    Ready:          False
    Restart Count:  6
    Limits:
      cpu:     500m
      memory:  96Mi
    Requests:
      cpu:        100m
      memory:     64Mi
Events:
  Type     Reason     Age                 From     Message
  ----     ------     ----                ----     -------
  Normal   Pulled     2m (x7 over 9m)     kubelet  Container image "registry.local/report-worker:3.4.1" already present on machine
  Warning  BackOff    30s (x25 over 8m)   kubelet  Back-off restarting failed container worker in pod report-worker-5d8c7f6b9-x2x7q
--- logs ---
2026-11-03T10:14:02Z INFO starting report worker
2026-11-03T10:14:03Z INFO loading template cache
`;

/** The same kill after hours of steady growth at flat traffic: a leak, which a restart mitigates. */
const LEAK = `Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Tue, 03 Nov 2026 02:00:00 +0000
      Finished:     Tue, 03 Nov 2026 09:41:13 +0000
    Restart Count:  1
    Limits:
      memory:  2Gi
--- logs ---
03:00 heap_used=610MB rps=120
05:00 heap_used=1010MB rps=118
07:00 heap_used=1420MB rps=121
09:00 heap_used=1890MB rps=119
`;

describe("OOMKilled: a limit set too low vs. a leak (examples written for these tests)", () => {
  it("killed seconds after every start under a small limit: raise the limit, do not restart", async () => {
    const r = await diagnose(LOW_LIMIT);
    expect(r.category).toBe("resource_limit");
    expect(r.analysis.action).toBe("NOOP");
    expect(r.analysis.root_cause).toMatch(/memory limit/i);
    expect(r.analysis.root_cause).toContain("96Mi");
    expect(r.fix?.command).toMatch(/kubectl (?:set resources|patch).*memory/);
  });

  it("killed after hours of growth at flat traffic: a leak, restarted", async () => {
    const r = await diagnose(LEAK, "ContainerOOMKilled");
    expect(r.category).toBe("memory_leak");
    expect(r.analysis.action).toBe("RESTART");
  });

  it("the leak's growth outweighs a short last run", async () => {
    const quick = LEAK.replace("02:00:00", "09:39:00");
    const r = await diagnose(quick, "ContainerOOMKilled");
    expect(r.category).toBe("memory_leak");
  });
});

describe("memoryLimit reads the limit where specs print it", () => {
  const limitOf = (text: string) => memoryLimit(buildLogView(incident(text)));
  it("describe, YAML and JSON forms", () => {
    expect(limitOf("    Limits:\n      cpu:     500m\n      memory:  96Mi\n")).toBe("96Mi");
    expect(limitOf('resources:\n  limits:\n    memory: "512Mi"\n    cpu: 1\n')).toBe("512Mi");
    expect(limitOf('{"resources":{"limits":{"cpu":"1","memory":"1Gi"}}}')).toBe("1Gi");
    expect(limitOf("Requests:\n  memory: 64Mi\n")).toBeNull();
  });

  it("a crash loop of OOM kills with no timestamps still reads as a limit too low", () => {
    const text =
      "Reason: OOMKilled\nRestart Count:  5\nLimits:\n  memory:  64Mi\nWarning BackOff kubelet Back-off restarting failed container app";
    expect(kinds(text)).toContain("memory_limit_low");
  });

  it("no known limit, or one kill after a long run, is not a limit too low", () => {
    expect(kinds("Last State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137")).not.toContain("memory_limit_low");
    const longRun =
      "Reason: OOMKilled\nStarted: Tue, 03 Nov 2026 01:00:00 +0000\nFinished: Tue, 03 Nov 2026 07:00:00 +0000\nLimits:\n  memory: 1Gi";
    expect(kinds(longRun)).not.toContain("memory_limit_low");
  });
});
