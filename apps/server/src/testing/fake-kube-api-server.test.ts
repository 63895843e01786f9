import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeKubeApiServer } from "./fake-kube-api-server.js";
import { deployment, settled } from "./fake-kube-fixtures.js";

let kube: FakeKubeApiServer;
const DEP = "/apis/apps/v1/namespaces/shop/deployments";

async function call(method: string, path: string, body?: unknown, type = "application/json") {
  const r = await fetch(`${kube.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": type },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: r.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

beforeEach(async () => {
  kube = await new FakeKubeApiServer({ reconcileDelayMs: 5, historyLimit: 50 }).start();
  kube.put("deployments", deployment("checkout", "shop/checkout:v1", 2));
  await settled(kube, "checkout");
});
afterEach(() => kube.stop());

describe("the fake API server keeps the real API's semantics the executor relies on", () => {
  it("404 answers with a NotFound Status object naming the resource", async () => {
    const r = await call("GET", `${DEP}/nope`);
    expect(r).toEqual({
      status: 404,
      body: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: 'deployments.apps "nope" not found',
        reason: "NotFound",
        details: { name: "nope", group: "apps", kind: "deployments" },
        code: 404,
      },
    });
  });

  it("a stale resourceVersion is a 409 Conflict Status; the current one is accepted", async () => {
    const d = (await call("GET", `${DEP}/checkout`)).body;
    const stale = { ...d, metadata: { ...d.metadata, resourceVersion: "1" } };
    const r = await call("PUT", `${DEP}/checkout`, stale);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ kind: "Status", reason: "Conflict", code: 409 });
    expect(r.body.message).toContain("the object has been modified");
    const ok = await call(
      "PATCH",
      `${DEP}/checkout`,
      { metadata: { resourceVersion: d.metadata.resourceVersion, labels: { x: "1" } } },
      "application/merge-patch+json",
    );
    expect(ok.status).toBe(200);
    expect(Number(ok.body.metadata.resourceVersion)).toBeGreaterThan(Number(d.metadata.resourceVersion));
  });

  it("the three patch types: strategic merges containers by name, merge patch replaces lists, JSON patch test fails with 422", async () => {
    const sidecar = { spec: { template: { spec: { containers: [{ name: "sidecar", image: "envoy:1" }] } } } };
    const s = await call("PATCH", `${DEP}/checkout`, sidecar, "application/strategic-merge-patch+json");
    expect(s.body.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(["app", "sidecar"]);
    const m = await call("PATCH", `${DEP}/checkout`, sidecar, "application/merge-patch+json");
    expect(m.body.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(["sidecar"]);
    const bad = await call(
      "PATCH",
      `${DEP}/checkout`,
      [
        { op: "test", path: "/metadata/resourceVersion", value: "1" },
        { op: "replace", path: "/spec/replicas", value: 9 },
      ],
      "application/json-patch+json",
    );
    expect(bad.status).toBe(422);
    expect(bad.body.reason).toBe("Invalid");
    expect(kube.get("deployments", "shop", "checkout").spec.replicas).toBe(2);
    const missing = await call(
      "PATCH",
      `${DEP}/checkout`,
      [{ op: "replace", path: "/spec/nothing/here", value: 1 }],
      "application/json-patch+json",
    );
    expect(missing.status).toBe(400);
    const unknown = await call("PATCH", `${DEP}/checkout`, {}, "application/json");
    expect(unknown.status).toBe(415);
    expect(unknown.body.reason).toBe("UnsupportedMediaType");
  });

  it("generation moves with the spec only; the main resource ignores status and /status ignores spec", async () => {
    const d = kube.get("deployments", "shop", "checkout");
    const labels = await call(
      "PATCH",
      `${DEP}/checkout`,
      { metadata: { labels: { y: "2" } }, status: { replicas: 99 } },
      "application/merge-patch+json",
    );
    expect(labels.body.metadata.generation).toBe(d.metadata.generation);
    expect(labels.body.status.replicas).toBe(2);
    const spec = await call("PATCH", `${DEP}/checkout`, { spec: { replicas: 3 } }, "application/merge-patch+json");
    expect(spec.body.metadata.generation).toBe(d.metadata.generation + 1);
    const status = await call(
      "PATCH",
      `${DEP}/checkout/status`,
      { spec: { replicas: 7 }, status: { replicas: 42 } },
      "application/merge-patch+json",
    );
    expect(status.body.spec.replicas).toBe(3);
    expect(status.body.status.replicas).toBe(42);
    const invalid = await call("PATCH", `${DEP}/checkout`, { spec: { replicas: -1 } }, "application/merge-patch+json");
    expect(invalid).toMatchObject({ status: 422, body: { reason: "Invalid" } });
  });

  it("the scale subresource is an autoscaling/v1 Scale whose writes land in spec.replicas", async () => {
    const scale = await call("GET", `${DEP}/checkout/scale`);
    expect(scale.body).toMatchObject({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      spec: { replicas: 2 },
      status: { replicas: 2, selector: "app=checkout" },
    });
    const r = await call("PATCH", `${DEP}/checkout/scale`, { spec: { replicas: 4 } }, "application/merge-patch+json");
    expect(r.body.spec.replicas).toBe(4);
    expect((await settled(kube, "checkout")).status.availableReplicas).toBe(4);
  });

  it("watch streams changes after a resourceVersion, synthesises ADDED without one, and answers 410 Gone when too old", async () => {
    const from = kube.get("deployments", "shop", "checkout").metadata.resourceVersion;
    const ac = new AbortController();
    const res = await fetch(`${kube.url}${DEP}?watch=true&resourceVersion=${from}`, { signal: ac.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    kube.put("deployments", deployment("payments", "shop/pay:v1", 1));
    let text = "";
    while (!text.includes('"payments"')) text += new TextDecoder().decode((await reader.read()).value);
    const first = JSON.parse(text.split("\n")[0] as string);
    expect(first).toMatchObject({ type: "ADDED", object: { kind: "Deployment", metadata: { name: "payments" } } });
    ac.abort();

    const all = await fetch(`${kube.url}${DEP}?watch=1&timeoutSeconds=1`);
    const lines = (await all.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.type} ${l.object.metadata.name}`).sort()).toEqual([
      "ADDED checkout",
      "ADDED payments",
    ]);

    for (let i = 0; i < 60; i++) kube.put("services", { metadata: { name: `s${i}`, namespace: "shop" }, spec: {} });
    const gone = await fetch(`${kube.url}${DEP}?watch=true&resourceVersion=2`);
    const event = JSON.parse((await gone.text()).trim());
    expect(event).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
  });

  it("pod logs: tailLines, previous container, and the API's 400 when there was no previous container", async () => {
    const pod = kube.list("pods", "shop")[0];
    kube.setLogs("shop", pod.metadata.name, "app", "a\nb\nc\n");
    expect((await call("GET", `/api/v1/namespaces/shop/pods/${pod.metadata.name}/log?tailLines=2`)).body).toBe(
      "b\nc\n",
    );
    const none = await call("GET", `/api/v1/namespaces/shop/pods/${pod.metadata.name}/log?previous=true`);
    expect(none.status).toBe(400);
    expect(none.body.message).toBe(`previous terminated container "app" in pod "${pod.metadata.name}" not found`);
    expect((await call("GET", `/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods`)).status).toBe(404);
  });

  it("label and field selectors filter lists; list items carry no kind", async () => {
    kube.put("deployments", deployment("payments", "shop/pay:v1", 1, { tier: "db" }));
    // Its pod comes from the fake's reconcile loop: wait for it before counting pods.
    await settled(kube, "payments");
    const r = await call("GET", `${DEP}?labelSelector=${encodeURIComponent("tier!=db")}`);
    expect(r.body.kind).toBe("DeploymentList");
    expect(r.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["checkout"]);
    expect(r.body.items[0].kind).toBeUndefined();
    const inSet = await call("GET", `${DEP}?labelSelector=${encodeURIComponent("app in (payments,other)")}`);
    expect(inSet.body.items).toHaveLength(1);
    const pods = await call("GET", `/api/v1/namespaces/shop/pods?fieldSelector=spec.nodeName%3Dnode-1`);
    expect(pods.body.items).toHaveLength(3);
  });
});
