import { describe, expect, it } from "vitest";
import { BuiltinAnalyst } from "./builtin-analyst.js";
import { extractSignals } from "./signals.js";
import { incident } from "./test-helpers.js";

/** Examples written for these tests, in the shape of real kubectl / helm / JVM output. */
const kinds = (logs: string) => [...extractSignals(incident(logs)).best.keys()];

async function diagnose(logs: string, alertType = "Alert") {
  const sink = { thinking: () => {}, token: () => {} };
  return new BuiltinAnalyst().analyse(incident(logs, { alertType, containerName: "checkout" }), sink);
}

const HELM = `### tool call: helm upgrade checkout ./chart -n shop
Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress
### tool call: helm history checkout -n shop
REVISION  UPDATED                   STATUS           CHART           DESCRIPTION
40        Fri Feb 28 09:00:02 2025  superseded       checkout-1.7.9  Upgrade complete
41        Sat Mar  1 10:02:11 2025  deployed         checkout-1.8.0  Upgrade complete
42        Sun Mar  2 09:12:40 2025  pending-upgrade  checkout-1.9.0  Preparing upgrade`;

describe("blocked cluster operations", () => {
  it("a Helm release locked by an interrupted upgrade: roll back to the last deployed revision, never the workload", async () => {
    const r = await diagnose(HELM, "DeployFailed");
    expect(r.category).toBe("operation_blocked");
    expect(r.analysis.root_cause).toMatch(/Helm release checkout is locked in pending-upgrade/);
    expect(r.analysis.action).toBe("NOOP");
    expect(r.fix?.command).toBe("helm history checkout && helm rollback checkout 41");
  });

  it("a drain refused by a PodDisruptionBudget, from the eviction error or from the budget listing", async () => {
    const evicted = await diagnose(
      `error when evicting pods/"payments-api-7d9f8-xk2lp" -n "payments" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`,
      "NodeDrainStuck",
    );
    expect(evicted.category).toBe("operation_blocked");
    expect(evicted.analysis.root_cause).toMatch(/PodDisruptionBudget/);
    expect(evicted.fix?.description).toMatch(/minAvailable/);
    const listed = kinds(`NAMESPACE   NAME        MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
search      search-pdb  3               N/A               0                     120d`);
    expect(listed).toContain("pdb_blocking");
    expect(
      extractSignals(
        incident(`NAME  MIN AVAILABLE  MAX UNAVAILABLE  ALLOWED DISRUPTIONS  AGE
web-pdb  2  N/A  0  3d`),
      ).best.get("pdb_blocking")?.evidence,
    ).toMatch(/web-pdb/);
  });

  it("a namespace held in Terminating by finalizers, and a CronJob that stopped after missed schedules", async () => {
    const ns = await diagnose(
      `status:
  conditions:
  - message: 'Some content in the namespace has finalizers remaining: kubernetes.io/pvc-protection in 1 resource instances'
    reason: SomeFinalizersRemain
  phase: Terminating`,
      "NamespaceStuck",
    );
    expect(ns.category).toBe("operation_blocked");
    expect(ns.analysis.root_cause).toMatch(/finalizers remain \(kubernetes\.io\/pvc-protection\)/);
    expect(
      kinds(
        "Warning  FailedNeedsStart  cronjob-controller  Cannot determine if job needs to be started: too many missed start times (> 100)",
      ),
    ).toContain("cron_missed");
  });

  it("a saturated worker pool is a limit to size, with the pool's own figures", async () => {
    const r = await diagnose(
      "ERROR Servlet.service() threw exception java.util.concurrent.RejectedExecutionException: Task rejected from java.util.concurrent.ThreadPoolExecutor@1f[Running, pool size = 200, active threads = 200, queued tasks = 1000, completed tasks = 88123]",
      "HighErrorRate",
    );
    expect(r.category).toBe("resource_limit");
    expect(r.analysis.root_cause).toMatch(/200 of 200 threads busy, 1000 tasks queued/);
    expect(r.analysis.action).toBe("NOOP");
  });

  it("says nothing where nothing is held", () => {
    const healthy = `REVISION  UPDATED                   STATUS      CHART           DESCRIPTION
41        Sat Mar  1 10:02:11 2025  deployed    checkout-1.8.0  Upgrade complete
NAME       MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
web-pdb    2               N/A               1                     41d
INFO thread pool stats: size=32 active=4 queued=0
namespace/old-team deleted`;
    const found = kinds(healthy);
    for (const k of ["release_locked", "pdb_blocking", "finalizers_stuck", "cron_missed", "pool_saturated"]) {
      expect(found).not.toContain(k);
    }
  });
});
