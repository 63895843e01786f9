import { afterEach, beforeEach, expect, it } from "vitest";
import { BuiltinAnalyst } from "../analysts/builtin/builtin-analyst.js";
import { incident, recordingSink } from "../analysts/builtin/test-helpers.js";
import { FakeKubeApiServer } from "../testing/fake-kube-api-server.js";
import { crashLoopOomFate, seedShop, writeKubeconfig } from "../testing/fake-kube-fixtures.js";
import { prepareEnv, startInProcess } from "../testing/test-server.js";

let kube: FakeKubeApiServer;
let stop: (() => Promise<void>) | undefined;

beforeEach(async () => {
  kube = await new FakeKubeApiServer({ reconcileDelayMs: 10 }).start();
  await seedShop(kube);
});
afterEach(async () => {
  await stop?.();
  stop = undefined;
  await kube.stop();
});

async function server() {
  const te = await prepareEnv();
  const started = await startInProcess({
    ...te,
    env: {
      ...te.env,
      AEGIS_EXECUTOR: "kubernetes",
      AEGIS_KUBECONFIG: writeKubeconfig(te.dataDir, kube.url),
      AEGIS_KUBE_NAMESPACES: "shop",
      AEGIS_KUBE_LABEL_SELECTOR: "aegis=managed",
      AEGIS_DEMO_APP: "false",
    },
  });
  stop = started.stop;
  return started.client;
}

it("the built-in analyst diagnoses from the runtime's evidence: CrashLoopBackOff after OOMKilled (exit 137)", async () => {
  // Control: from the alert alone, the same analyst cannot name memory as the cause.
  const alone = await new BuiltinAnalyst().analyse(
    incident("pod is not ready", { alertType: "KubePodNotReady", containerName: "checkout" }),
    recordingSink(),
  );
  expect(alone.analysis.root_cause).not.toMatch(/OOM|memory/i);

  kube.setPodFate(crashLoopOomFate);
  const d = kube.get("deployments", "shop", "checkout");
  d.spec.template.metadata.annotations = { "example.com/bump": "1" };
  kube.put("deployments", d);
  await new Promise((r) => setTimeout(r, 200));
  const pod = kube.list("pods", "shop", "app=checkout")[0];
  kube.setLogs("shop", pod.metadata.name, "app", "catalogue cache: 240MB loaded\n", true);
  const c = await server();
  // The alert says almost nothing: everything the diagnosis needs is in the cluster.
  const r = await c.request("POST", "/webhook", {
    incident_id: "k8s-oom-1",
    alert_type: "KubePodNotReady",
    logs: "pod is not ready",
    container_name: "checkout",
    severity: "HIGH",
    dry_run: true,
  });
  expect(r.status).toBe(200);
  const done = await c.waitFor("k8s-oom-1", (i) => i.analysis !== null && i.council_decision !== null, 30_000);
  expect(done.analysis?.root_cause).toMatch(/OOM|memory/i);
  const evidence = (done as unknown as { evidence?: string[] }).evidence ?? [];
  const text = `${done.analysis?.root_cause} ${JSON.stringify(evidence)} ${JSON.stringify(done.timeline)}`;
  expect(text).toMatch(/OOMKilled|137|memory limit/i);
  // The evidence came from the API: describe-equivalent reads of the pod, its events and its previous logs.
  expect(
    kube.calls.some(
      (c) => c.path === `/api/v1/namespaces/shop/pods/${pod.metadata.name}/log` && c.query.includes("previous=true"),
    ),
  ).toBe(true);
  expect(kube.calls.some((c) => c.path === "/api/v1/namespaces/shop/events")).toBe(true);
}, 60_000);

it("RESTART of a Deployment ends RESOLVED once the rollout completes and its pods are ready", async () => {
  const c = await server();
  await c.request("POST", "/webhook", {
    incident_id: "k8s-restart-1",
    alert_type: "Memory Leak",
    logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request, heap used 1900MB of 2048MB; traffic flat",
    container_name: "checkout",
    severity: "CRITICAL",
  });
  const done = await c.waitFor("k8s-restart-1", (i) => i.status === "RESOLVED" || i.status === "FAILED", 40_000);
  expect(done.status, done.error ?? "").toBe("RESOLVED");
  expect(done.analysis?.action).toBe("RESTART");
  expect(kube.get("deployments", "shop", "checkout").spec.template.metadata.annotations).toHaveProperty([
    "kubectl.kubernetes.io/restartedAt",
  ]);
}, 60_000);

it("a StatefulSet is never touched without a human: the council sends it to approval", async () => {
  const c = await server();
  const before = kube.get("statefulsets", "shop", "ledger-writer").metadata.generation;
  await c.request("POST", "/webhook", {
    incident_id: "k8s-sts-1",
    alert_type: "Memory Leak",
    logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request, heap used 1900MB of 2048MB; traffic flat",
    container_name: "ledger-writer",
    severity: "CRITICAL",
  });
  const parked = await c.waitFor(
    "k8s-sts-1",
    (i) => ["RESOLVED", "FAILED"].includes(i.status) || i.approval?.state === "pending",
    30_000,
  );
  // Seed 000's wire: still in review, a person to decide.
  expect(parked.status).toBe("COUNCIL_REVIEW");
  expect(parked.approval?.state).toBe("pending");
  expect(kube.get("statefulsets", "shop", "ledger-writer").metadata.generation).toBe(before);
}, 60_000);
