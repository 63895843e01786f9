// biome-ignore-all lint/suspicious/noExplicitAny: Kubernetes API objects are untyped JSON documents here.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FakeKubeApiServer } from "./fake-kube-api-server.js";

export function deployment(name: string, image: string, replicas = 2, labels: Record<string, string> = {}): any {
  return {
    metadata: { name, namespace: "shop", labels: { app: name, ...labels } },
    spec: {
      replicas,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image, resources: { limits: { cpu: "500m", memory: "256Mi" } } }] },
      },
    },
  };
}

/**
 * A small shop in namespace `shop`: Deployment `checkout` at revision 2 (image v1 → v2) behind Service
 * `checkout`, StatefulSet `ledger-writer` (no store-like name: only its kind protects it), Deployment `internal-tool` without the `aegis=managed` label, node
 * `node-1`. Resolves once the simulated controllers have settled.
 */
export async function seedShop(kube: FakeKubeApiServer): Promise<void> {
  kube.put("nodes", {
    metadata: { name: "node-1" },
    status: {
      conditions: [
        {
          type: "MemoryPressure",
          status: "False",
          reason: "KubeletHasSufficientMemory",
          message: "kubelet has sufficient memory available",
        },
        {
          type: "DiskPressure",
          status: "False",
          reason: "KubeletHasNoDiskPressure",
          message: "kubelet has no disk pressure",
        },
        { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
      ],
    },
  });
  kube.put("deployments", deployment("checkout", "shop/checkout:v1", 2, { aegis: "managed" }));
  await settled(kube, "checkout");
  const d = kube.get("deployments", "shop", "checkout");
  d.spec.template.spec.containers[0].image = "shop/checkout:v2";
  kube.put("deployments", d);
  await settled(kube, "checkout");
  kube.put("deployments", deployment("internal-tool", "shop/tool:v1", 1));
  kube.put("services", {
    metadata: { name: "checkout", namespace: "shop" },
    spec: { type: "ClusterIP", selector: { app: "checkout" }, ports: [{ port: 80 }] },
  });
  kube.put("statefulsets", {
    metadata: { name: "ledger-writer", namespace: "shop", labels: { app: "ledger-writer", aegis: "managed" } },
    spec: {
      replicas: 1,
      serviceName: "ledger-writer",
      selector: { matchLabels: { app: "ledger-writer" } },
      template: {
        metadata: { labels: { app: "ledger-writer" } },
        spec: { containers: [{ name: "db", image: "ledger/writer:3" }] },
      },
    },
  });
  await settled(kube, "internal-tool");
}

/** Waits until the Deployment's rollout is complete in the fake (status caught up, all available). */
export async function settled(kube: FakeKubeApiServer, name: string, timeoutMs = 5000): Promise<any> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const d = kube.get("deployments", "shop", name);
    const s = d?.status ?? {};
    if (
      d &&
      s.observedGeneration === d.metadata.generation &&
      s.updatedReplicas === d.spec.replicas &&
      s.availableReplicas === d.spec.replicas &&
      s.replicas === d.spec.replicas
    )
      return d;
    if (Date.now() > end) throw new Error(`deployment ${name} did not settle: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A kubeconfig file pointing at the fake server (what AEGIS_KUBECONFIG names in end-to-end tests). */
export function writeKubeconfig(dir: string, server: string): string {
  const path = join(dir, "kubeconfig.json");
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "fake", cluster: { server, "insecure-skip-tls-verify": true } }],
      users: [{ name: "aegis", user: { token: "test-token" } }],
      contexts: [{ name: "fake", context: { cluster: "fake", user: "aegis", namespace: "shop" } }],
      "current-context": "fake",
    }),
  );
  return path;
}

/** A pod of `checkout` crash-looping after being OOMKilled (exit 137), as the kubelet reports it. */
export function crashLoopOomFate(template: any): {
  ready: boolean;
  waiting?: { reason: string; message: string };
  lastTerminated?: { reason: string; exitCode: number };
  restartCount?: number;
} {
  if (template.metadata?.labels?.app !== "checkout") return { ready: true };
  return {
    ready: false,
    waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s restarting failed container=app" },
    lastTerminated: { reason: "OOMKilled", exitCode: 137 },
    restartCount: 6,
  };
}
