import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../shared/logger.js";
import { FakeKubeApiServer } from "../../testing/fake-kube-api-server.js";
import { crashLoopOomFate, deployment, seedShop, settled } from "../../testing/fake-kube-fixtures.js";
import { KubernetesExecutor } from "./kubernetes-executor.js";

let kube: FakeKubeApiServer;
let executor: KubernetesExecutor;

function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "fake", server, skipTLSVerify: true }],
    users: [{ name: "aegis", token: "t" }],
    contexts: [{ name: "fake", cluster: "fake", user: "aegis" }],
    currentContext: "fake",
  });
  return kc;
}

async function startExecutor(opts: { selector?: string; namespaces?: string[] } = {}): Promise<KubernetesExecutor> {
  const e = new KubernetesExecutor({
    kubeConfig: kubeConfigFor(kube.url),
    namespaces: opts.namespaces ?? ["shop"],
    labelSelector: opts.selector,
    maxReplicas: 5,
    rolloutTimeoutMs: 5000,
    logger: createLogger("silent"),
  });
  await e.start();
  return e;
}

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeEach(async () => {
  kube = await new FakeKubeApiServer({ reconcileDelayMs: 10 }).start();
  await seedShop(kube);
});
afterEach(async () => {
  await executor?.stop();
  await kube.stop();
});

describe("KubernetesExecutor against an API server with the real semantics", () => {
  it("sees only workloads in its namespaces that match its selector, kept current by a watch", async () => {
    kube.put("deployments", {
      ...deployment("elsewhere", "x:1"),
      metadata: { name: "elsewhere", namespace: "other", labels: { aegis: "managed" } },
    });
    executor = await startExecutor({ selector: "aegis=managed" });
    expect(executor.targets().sort()).toEqual(["checkout", "ledger-writer"]);
    expect(executor.has("internal-tool")).toBe(false);
    expect(executor.has("elsewhere")).toBe(false);
    kube.put("deployments", deployment("payments", "shop/pay:v1", 1, { aegis: "managed" }));
    await until(
      async () => executor.has("payments"),
      (v) => v,
    );
    expect(executor.has("payments")).toBe(true);
    // The watch was opened with the list's resourceVersion and the selector.
    const watches = kube.calls.filter((c) => c.query.includes("watch=true"));
    expect(
      watches.some(
        (c) =>
          c.path === "/apis/apps/v1/namespaces/shop/deployments" &&
          c.query.includes("labelSelector=aegis%3Dmanaged") &&
          c.query.includes("resourceVersion="),
      ),
    ).toBe(true);
  });

  it("re-lists after the API server ends its watches, and a removed workload disappears", async () => {
    executor = await startExecutor();
    kube.closeWatches();
    kube.remove("deployments", "shop", "internal-tool");
    await until(
      async () => executor.has("internal-tool"),
      (v) => !v,
    );
    expect(executor.has("internal-tool")).toBe(false);
  });

  it("RESTART is a rollout restart: a strategic merge patch of restartedAt, then rollout status turns healthy", async () => {
    executor = await startExecutor();
    const before = kube.get("deployments", "shop", "checkout");
    const oldPods = kube.list("pods", "shop", "app=checkout").map((p) => p.metadata.name);
    const r = await executor.restart("checkout");
    expect(r.target).toBe("checkout");
    const patch = kube.calls.find(
      (c) => c.method === "PATCH" && c.path === "/apis/apps/v1/namespaces/shop/deployments/checkout",
    );
    expect(patch?.contentType).toBe("application/strategic-merge-patch+json");
    const after = kube.get("deployments", "shop", "checkout");
    expect(after.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]).toMatch(/^\d{4}-/);
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
    // The container list was merged by name, not replaced.
    expect(after.spec.template.spec.containers).toHaveLength(1);
    const probe = await until(
      () => executor.probe("checkout", 2000),
      (p) => p.healthy,
    );
    expect(probe).toMatchObject({ healthy: true, detail: expect.stringContaining("successfully rolled out") });
    const newPods = kube.list("pods", "shop", "app=checkout").map((p) => p.metadata.name);
    expect(newPods.some((n) => oldPods.includes(n))).toBe(false);
  });

  it("RESTART by pod name restarts the owning Deployment; a pod without a controller is refused", async () => {
    executor = await startExecutor();
    const pod = kube.list("pods", "shop", "app=checkout")[0];
    expect(executor.has(pod.metadata.name)).toBe(true);
    await executor.restart(pod.metadata.name);
    expect(kube.get("deployments", "shop", "checkout").spec.template.metadata.annotations).toHaveProperty([
      "kubectl.kubernetes.io/restartedAt",
    ]);
    kube.put("pods", {
      metadata: { name: "debug-shell", namespace: "shop" },
      spec: { containers: [{ name: "sh", image: "busybox" }] },
    });
    await expect(executor.restart("debug-shell")).rejects.toThrow(/no Deployment or StatefulSet/);
    expect(kube.get("pods", "shop", "debug-shell")).toBeDefined();
  });

  it("verification reports a rollout that cannot finish: not-ready pods, then ProgressDeadlineExceeded", async () => {
    executor = await startExecutor();
    kube.setPodFate(crashLoopOomFate);
    const d = kube.get("deployments", "shop", "checkout");
    d.spec.progressDeadlineSeconds = 1;
    kube.put("deployments", d);
    await executor.restart("checkout");
    const waiting = await until(
      () => executor.probe("checkout", 2000),
      (p) => /available/.test(p.detail),
    );
    expect(waiting.healthy).toBe(false);
    const failed = await until(
      () => executor.probe("checkout", 2000),
      (p) => /progress deadline/.test(p.detail),
      4000,
    );
    expect(failed).toMatchObject({ healthy: false, detail: expect.stringContaining("exceeded its progress deadline") });
  });

  it("SCALE_UP writes the scale subresource (merge patch with resourceVersion; a 409 is re-read and retried) and SCALE_DOWN returns to the baseline", async () => {
    executor = await startExecutor();
    let interfered = false;
    kube.beforeRequest = (method, path) => {
      // A concurrent writer changes the Deployment between our read of the scale and our patch.
      if (method === "PATCH" && path.endsWith("/deployments/checkout/scale") && !interfered) {
        interfered = true;
        const d = kube.get("deployments", "shop", "checkout");
        kube.put("deployments", {
          ...d,
          metadata: { ...d.metadata, labels: { ...d.metadata.labels, touched: "yes" } },
        });
      }
    };
    const event = await executor.scaleUp("checkout", 2);
    const scaleCalls = kube.calls.filter((c) => c.path === "/apis/apps/v1/namespaces/shop/deployments/checkout/scale");
    expect(scaleCalls.filter((c) => c.method === "PATCH").map((c) => c.status)).toEqual([409, 200]);
    expect(scaleCalls.find((c) => c.method === "PATCH")?.contentType).toBe("application/merge-patch+json");
    expect(kube.get("deployments", "shop", "checkout").spec.replicas).toBe(4);
    expect(event).toMatchObject({ container_base: "checkout", replica_count: 2, lb_configured: true });
    expect(event.replicas).toHaveLength(4);
    expect(executor.replicaCount("checkout")).toBe(2);
    await expect(executor.scaleUp("checkout", 6)).rejects.toThrow(/MAX_REPLICAS/);
    const down = await executor.scaleDown("checkout");
    expect(kube.get("deployments", "shop", "checkout").spec.replicas).toBe(2);
    expect(down.removed).toHaveLength(2);
    expect(executor.replicaCount("checkout")).toBe(0);
  });

  it("ROLLBACK puts the previous ReplicaSet's template back with a JSON patch guarded by a resourceVersion test", async () => {
    executor = await startExecutor();
    expect(executor.canRollback("checkout")).toBe(true);
    expect(executor.canRollback("internal-tool")).toBe(false);
    const r = await executor.rollback("checkout");
    expect(r).toMatchObject({
      fromVersion: "revision 2 (shop/checkout:v2)",
      toVersion: "revision 1 (shop/checkout:v1)",
    });
    expect(kube.calls.find((c) => c.method === "PATCH" && c.path.endsWith("/deployments/checkout"))?.contentType).toBe(
      "application/json-patch+json",
    );
    const d = await settled(kube, "checkout");
    expect(d.spec.template.spec.containers[0].image).toBe("shop/checkout:v1");
    // The old ReplicaSet is reused and becomes revision 3, as the deployment controller does.
    expect(d.metadata.annotations["deployment.kubernetes.io/revision"]).toBe("3");
    expect(kube.list("replicasets", "shop", "app=checkout")).toHaveLength(2);
    expect((await executor.probe("checkout", 2000)).healthy).toBe(true);
    await expect(executor.rollback("ledger-writer")).rejects.toThrow(/no ReplicaSet history/);
  });

  it("metrics come from metrics.k8s.io when it is served, and are absent (not invented) when it is not", async () => {
    executor = await startExecutor();
    expect(await executor.metrics()).toEqual([]);
    kube.metricsEnabled = true;
    const pod = kube.list("pods", "shop", "app=checkout")[0];
    kube.setPodMetrics("shop", pod.metadata.name, { cpu: "250m", memory: "128Mi" });
    const m = (await executor.metrics()).find((x) => x.name === pod.metadata.name);
    expect(m).toMatchObject({
      cpu_percent: 50,
      memory_mb: 128,
      memory_limit_mb: 256,
      memory_percent: 50,
      image: "shop/checkout:v2",
    });
  });

  it("topology uses seed 000's node types: agent, app, replica, loadbalancer", async () => {
    executor = await startExecutor();
    const t = await executor.topology();
    const types = new Set(t.nodes.map((n) => n.type));
    expect([...types].sort()).toEqual(["agent", "app", "loadbalancer", "replica"]);
    expect(t.edges.filter((e) => e.from === "shop/service/checkout" && e.label === "routes")).toHaveLength(2);
    expect((await executor.containers()).length).toBe(kube.list("pods", "shop").length);
  });

  it("gathers describe-equivalent evidence: CrashLoopBackOff, OOMKilled exit 137, restarts, events, previous logs, node conditions", async () => {
    kube.setPodFate(crashLoopOomFate);
    const d = kube.get("deployments", "shop", "checkout");
    d.spec.template.metadata.annotations = { bump: "1" };
    kube.put("deployments", d);
    await new Promise((r) => setTimeout(r, 200));
    executor = await startExecutor();
    const pod = kube.list("pods", "shop", "app=checkout")[0];
    kube.put("events", {
      metadata: { name: `${pod.metadata.name}.1`, namespace: "shop" },
      involvedObject: { kind: "Pod", name: pod.metadata.name, namespace: "shop" },
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting failed container app in pod",
      count: 12,
      firstTimestamp: new Date(Date.now() - 300_000).toISOString(),
      lastTimestamp: new Date().toISOString(),
      source: { component: "kubelet" },
    });
    kube.setLogs("shop", pod.metadata.name, "app", "starting checkout\nloading catalogue into memory\n", false);
    kube.setLogs("shop", pod.metadata.name, "app", "heap grows\nkilled\n", true);
    const e = await executor.gatherEvidence("checkout");
    expect(e?.subject).toBe("Deployment shop/checkout");
    expect(e?.describe).toMatch(/State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/);
    expect(e?.describe).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137/);
    expect(e?.describe).toMatch(/Restart Count:\s+6/);
    expect(e?.describe).toMatch(/memory:\s+256Mi/);
    expect(e?.events).toMatch(/Warning\s+BackOff\s+\S+ \(x12 over 5m\)\s+kubelet/);
    expect(e?.logs).toContain("loading catalogue");
    expect(e?.previousLogs).toBe("heap grows\nkilled\n");
    expect(e?.nodeConditions).toMatch(/MemoryPressure\s+False/);
    expect(e?.humanOnly).toBeNull();
    const log = kube.calls.find((c) => c.path.endsWith("/log") && c.query.includes("previous=true"));
    expect(log?.query).toContain("tailLines=50");
  });

  it("a StatefulSet's evidence says a human decides; unknown targets have no evidence", async () => {
    executor = await startExecutor();
    const e = await executor.gatherEvidence("ledger-writer");
    expect(e?.humanOnly).toMatch(/StatefulSet/);
    expect(e?.previousLogs).toBe("");
    expect(await executor.gatherEvidence("nope")).toBeNull();
  });
});
