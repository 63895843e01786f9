import { describe, expect, it } from "vitest";
import type { SignalKind } from "./signal.js";
import { extractSignals, strength } from "./signals.js";
import { context, incident } from "./test-helpers.js";

const kinds = (logs: string, over = {}) => {
  const s = extractSignals(incident(logs, over));
  return (k: SignalKind) => strength(s, k);
};

describe("extractSignals", () => {
  it("reads a load ratio from a comparison in the logs", () => {
    const s = extractSignals(incident("2026-05-01T10:00:00Z INFO lb: requests/s 4400 (same hour last week: 1100)"));
    expect(s.loadRatio).toBeCloseTo(4, 1);
    expect(strength(s, "load_high")).toBeGreaterThan(0.9);
  });

  it("prefers the context's rps/baseline over the logs", () => {
    const s = extractSignals(
      incident("rps=900 (7d avg 300)", { context: context({ metrics: { rps: 310 }, baseline: { rps: 300 } }) }),
    );
    expect(s.loadRatio).toBeCloseTo(1.03, 2);
    expect(strength(s, "load_high")).toBe(0);
  });

  it("does not mistake an error percentage comparison for load", () => {
    const s = extractSignals(incident("WARN api: 5xx 18% of requests in last 5m (before rollout: 0.2%)"));
    expect(s.loadRatio).toBeNull();
  });

  it("sees full GCs that reclaim nothing as GC thrash", () => {
    const k = kinds("[gc] GC(91) Pause Full (Allocation Failure) 4080M->4071M(4096M) 5120.3ms");
    expect(k("gc_thrash")).toBeGreaterThan(0.8);
  });

  it("separates a kernel OOM kill from a runtime OOM", () => {
    const k = kinds("[Tue Apr  7 03:00:00 2026] Memory cgroup out of memory: Killed process 812 (python3)");
    expect(k("oom_killed")).toBeGreaterThan(0.8);
    expect(k("oom_fatal")).toBe(0);
  });

  it("recognises a database victim, not a saturated app", () => {
    const k = kinds(
      "ERROR Lock wait timeout exceeded; try restarting transaction\nWARN pool: total=30 idle=0 waiting=90",
    );
    expect(k("db_lock")).toBeGreaterThan(0);
    expect(k("db_pool_exhausted")).toBeGreaterThan(0);
    expect(k("saturation")).toBe(0);
    expect(k("low_utilisation")).toBe(0);
  });

  it("times a deploy against the first error", () => {
    const logs = "2026-05-02T09:10:00Z ERROR api: TypeError: x is undefined";
    const recent = kinds(logs, {
      context: context({ recent_deploys: [{ version: "2.0.0", at: "2026-05-02T09:02:00Z" }] }),
    });
    expect(recent("recent_deploy")).toBe(1);
    const old = kinds(logs, {
      context: context({ recent_deploys: [{ version: "2.0.0", at: "2026-04-20T09:02:00Z" }] }),
    });
    expect(old("recent_deploy")).toBe(0);
    expect(old("stale_deploy")).toBeGreaterThan(0.5);
    const after = kinds(logs, {
      context: context({ recent_deploys: [{ version: "2.0.0", at: "2026-05-02T10:30:00Z" }] }),
    });
    expect(after("recent_deploy")).toBe(0);
  });

  it("finds a rollout in cluster events relative to the alert time", () => {
    const s = extractSignals(
      incident(
        "8m  Normal  ScalingReplicaSet  deployment/api  Scaled up replica set api-5c9 to 3 (image reg/api:7.1.0)\n2026-05-03T11:55:00Z ERROR api: NullPointerException",
        { alertTimestamp: "2026-05-03T12:00:00Z" },
      ),
    );
    expect(s.deploys[0]?.version).toBe("7.1.0");
    expect(s.deployGapMs).toBe(3 * 60_000);
  });

  it("reads severity from the level marker, not from the word error", () => {
    const k = kinds("2026-05-04T10:00:00Z INFO stats: error rate 0.0%, no errors in 30m");
    expect(k("error_logs")).toBe(0);
  });

  it("counts restarts from kubelet output", () => {
    const s = extractSignals(
      incident("Warning  BackOff  kubelet  Back-off restarting failed container x (x9 over 12m)"),
    );
    expect(s.restarts.count).toBe(9);
    expect(strength(s, "crashloop")).toBeGreaterThan(0.8);
  });

  it("recognises protected targets by flag or by name", () => {
    const mysql = extractSignals(incident("", { containerName: "orders-mysql-primary" })).protectedTarget;
    expect(mysql?.reason).toMatch(/mysql/);
    expect(mysql?.kind).toBe("store");
    const agent = extractSignals(incident("", { containerName: "aegis-agent" })).protectedTarget;
    expect(agent?.reason).toMatch(/agent/);
    expect(agent?.kind).toBe("self");
    expect(extractSignals(incident("", { containerName: "pgbouncer-exporter" })).protectedTarget).toBeNull();
    expect(extractSignals(incident("", { context: context({ protected: true }) })).protectedTarget?.reason).toMatch(
      /protected/,
    );
  });
});
