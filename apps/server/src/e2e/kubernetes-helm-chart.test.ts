import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { loadConfig } from "../config/config.js";
import { KubernetesExecutor } from "../executors/kubernetes/kubernetes-executor.js";
import { createLogger } from "../shared/logger.js";
import { FakeKubeApiServer, type KubeCall } from "../testing/fake-kube-api-server.js";
import { crashLoopOomFate, seedShop } from "../testing/fake-kube-fixtures.js";
import { renderTemplate } from "../testing/helm-template-subset.js";

const CHART = resolve(fileURLToPath(import.meta.url), "../../../../../deploy/helm/aegisops");

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked field by field below.
  [k: string]: any;
}

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      v && typeof v === "object" && !Array.isArray(v) && cur && typeof cur === "object" && !Array.isArray(cur)
        ? deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function render(overrides: Record<string, unknown> = {}): Manifest[] {
  const chart = parse(readFileSync(join(CHART, "Chart.yaml"), "utf8"));
  const values = deepMerge(parse(readFileSync(join(CHART, "values.yaml"), "utf8")), overrides);
  const root = {
    Values: values,
    Release: { Name: "aegis", Namespace: "ops" },
    Chart: { Name: chart.name, AppVersion: chart.appVersion },
  };
  const out: Manifest[] = [];
  for (const file of readdirSync(join(CHART, "templates")).filter((f) => f.endsWith(".yaml"))) {
    const text = renderTemplate(readFileSync(join(CHART, "templates", file), "utf8"), root);
    for (const doc of parseAllDocuments(text)) {
      expect(doc.errors, `${file}: ${doc.errors.join("; ")}`).toEqual([]);
      const m = doc.toJS() as Manifest | null;
      if (m) out.push(m);
    }
  }
  return out;
}

/** What RBAC verb and resource an API request needs (the API server's own mapping). */
function authorizationOf(c: KubeCall): { group: string; resource: string; verb: string } {
  const parts = c.path.split("/").filter(Boolean);
  const group = parts[0] === "api" ? "" : (parts[1] as string);
  let rest = parts[0] === "api" ? parts.slice(2) : parts.slice(3);
  if (rest[0] === "namespaces") rest = rest.slice(2);
  const [resource = "", name, sub] = rest;
  const watch = /[?&]watch=(true|1)/.test(c.query);
  const verb =
    c.method === "GET"
      ? watch
        ? "watch"
        : name
          ? "get"
          : "list"
      : (({ PATCH: "patch", PUT: "update", DELETE: "delete", POST: "create" } as Record<string, string>)[c.method] ??
        "?");
  return { group, resource: sub ? `${resource}/${sub}` : resource, verb };
}

const allows = (rules: Rule[], need: { group: string; resource: string; verb: string }) =>
  rules.some(
    (r) => r.apiGroups.includes(need.group) && r.resources.includes(need.resource) && r.verbs.includes(need.verb),
  );

/** Every call the executor makes in a full session: start and watch, all actions, verification, metrics, topology, evidence. */
async function executorCalls(): Promise<KubeCall[]> {
  const kube = await new FakeKubeApiServer({ reconcileDelayMs: 5, metrics: true }).start();
  try {
    await seedShop(kube);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "fake", server: kube.url, skipTLSVerify: true }],
      users: [{ name: "aegis", token: "t" }],
      contexts: [{ name: "fake", cluster: "fake", user: "aegis" }],
      currentContext: "fake",
    });
    const e = new KubernetesExecutor({
      kubeConfig: kc,
      namespaces: ["shop"],
      maxReplicas: 5,
      rolloutTimeoutMs: 3000,
      logger: createLogger("silent"),
    });
    await e.start();
    await e.restart("checkout");
    await e.restart("ledger-writer");
    await e.scaleUp("checkout", 1);
    await e.scaleDown("checkout");
    await e.scaleUp("ledger-writer", 1);
    await e.rollback("checkout");
    await e.probe("checkout", 2000);
    await e.probe("ledger-writer", 2000);
    await e.metrics();
    await e.topology();
    await e.containers();
    await e.logs("checkout", 10);
    kube.setPodFate(crashLoopOomFate);
    await e.gatherEvidence("checkout");
    await e.gatherEvidence(kube.list("pods", "shop", "app=checkout")[0].metadata.name);
    await e.stop();
    return [...kube.calls];
  } finally {
    await kube.stop();
  }
}

describe("Helm chart deploy/helm/aegisops", () => {
  it("renders valid manifests of the expected kinds, one Role and RoleBinding per namespace", () => {
    const docs = render({
      kubernetes: { namespaces: ["shop", "payments"] },
      apiKey: "k-0123456789abcdef",
      postgresql: { url: "postgres://aegis:pw@pg:5432/aegis" },
    });
    for (const d of docs) {
      expect(d.apiVersion, d.kind).toMatch(/^(v1|apps\/v1|rbac\.authorization\.k8s\.io\/v1)$/);
      expect(d.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    const kinds = docs.map((d) => `${d.kind}${d.metadata.namespace ? `@${d.metadata.namespace}` : ""}`).sort();
    expect(kinds).toEqual(
      [
        "ClusterRole",
        "ClusterRoleBinding",
        "ConfigMap@ops",
        "Deployment@ops",
        "Role@payments",
        "Role@shop",
        "RoleBinding@payments",
        "RoleBinding@shop",
        "Secret@ops",
        "Service@ops",
        "ServiceAccount@ops",
      ].sort(),
    );
    const byKind = (k: string) => docs.filter((d) => d.kind === k);
    const [deployment] = byKind("Deployment");
    const container = deployment?.spec.template.spec.containers[0];
    expect(deployment?.spec.selector.matchLabels).toEqual(deployment?.spec.template.metadata.labels);
    expect(deployment?.spec.template.spec.serviceAccountName).toBe(byKind("ServiceAccount")[0]?.metadata.name);
    expect(container.livenessProbe.httpGet).toEqual({ path: "/health", port: "http" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/health", port: "http" });
    expect(container.ports).toEqual([{ name: "http", containerPort: 8001 }]);
    expect(container.envFrom).toEqual([
      { configMapRef: { name: "aegis-aegisops" } },
      { secretRef: { name: "aegis-aegisops" } },
    ]);
    const service = byKind("Service")[0];
    expect(service?.spec.selector).toEqual(deployment?.spec.selector.matchLabels);
    for (const b of byKind("RoleBinding")) {
      expect(b.roleRef.name).toBe(
        byKind("Role").find((r) => r.metadata.namespace === b.metadata.namespace)?.metadata.name,
      );
      expect(b.subjects).toEqual([{ kind: "ServiceAccount", name: "aegis-aegisops", namespace: "ops" }]);
    }
    // The ConfigMap and Secret together are a configuration the server accepts.
    const env = { ...byKind("ConfigMap")[0]?.data, ...byKind("Secret")[0]?.stringData };
    const config = loadConfig(env);
    expect(config).toMatchObject({
      AEGIS_EXECUTOR: "kubernetes",
      AEGIS_KUBE_NAMESPACES: "shop,payments",
      AEGIS_PORT: 8001,
      DATABASE_URL: "postgres://aegis:pw@pg:5432/aegis",
    });
  });

  it("an existing Secret replaces the chart's own", () => {
    const docs = render({ existingSecret: "aegis-credentials", kubernetes: { readNodes: false } });
    expect(docs.some((d) => d.kind === "Secret")).toBe(false);
    expect(docs.some((d) => d.kind === "ClusterRole")).toBe(false);
    const container = docs.find((d) => d.kind === "Deployment")?.spec.template.spec.containers[0];
    expect(container.envFrom[1]).toEqual({ secretRef: { name: "aegis-credentials" } });
  });

  it("RBAC grants exactly what the executor uses: every call it makes is allowed, every granted verb is used", async () => {
    const docs = render({ kubernetes: { namespaces: ["shop"] } });
    const roleRules = docs.filter((d) => d.kind === "Role").flatMap((d) => d.rules as Rule[]);
    const clusterRules = docs.filter((d) => d.kind === "ClusterRole").flatMap((d) => d.rules as Rule[]);
    const calls = await executorCalls();
    const needed = calls.map(authorizationOf);
    for (const need of needed) {
      const rules = need.resource === "nodes" ? clusterRules : roleRules;
      expect(allows(rules, need), `${need.verb} ${need.group}/${need.resource} is not granted`).toBe(true);
    }
    const used = new Set(needed.map((n) => `${n.group}|${n.resource}|${n.verb}`));
    for (const r of [...roleRules, ...clusterRules]) {
      for (const g of r.apiGroups)
        for (const res of r.resources)
          for (const v of r.verbs)
            expect(used.has(`${g}|${res}|${v}`), `${v} ${g}/${res} is granted but never used`).toBe(true);
    }
    // Nothing the executor does deletes or creates.
    expect(needed.filter((n) => ["delete", "create", "update"].includes(n.verb))).toEqual([]);
  }, 60_000);
});
