// biome-ignore-all lint/suspicious/noExplicitAny: Kubernetes API objects are untyped JSON documents here.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeKubeController, type PodFate } from "./fake-kube-controller.js";
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from "./kube-patch.js";

/** A resource type the fake serves: where it lives in the API and what its objects are called. */
interface ResourceType {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  /** Subresources served (`status`, `scale`, `log`). */
  sub: string[];
}

const TYPES: Record<string, ResourceType> = {
  deployments: { group: "apps", version: "v1", kind: "Deployment", namespaced: true, sub: ["status", "scale"] },
  statefulsets: { group: "apps", version: "v1", kind: "StatefulSet", namespaced: true, sub: ["status", "scale"] },
  replicasets: { group: "apps", version: "v1", kind: "ReplicaSet", namespaced: true, sub: ["status", "scale"] },
  pods: { group: "", version: "v1", kind: "Pod", namespaced: true, sub: ["status", "log"] },
  services: { group: "", version: "v1", kind: "Service", namespaced: true, sub: ["status"] },
  events: { group: "", version: "v1", kind: "Event", namespaced: true, sub: [] },
  nodes: { group: "", version: "v1", kind: "Node", namespaced: false, sub: ["status"] },
};

interface WatchEvent {
  rv: number;
  resource: string;
  namespace: string;
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: any;
}

interface Watcher {
  resource: string;
  namespace: string | null;
  selector: string | null;
  res: ServerResponse;
}

/** One request as it reached the server, for assertions on what the client sent. */
export interface KubeCall {
  method: string;
  path: string;
  query: string;
  contentType: string | null;
  status: number;
}

export interface FakeKubeOptions {
  /** Delay before the simulated controllers and kubelet react to a change. Default 20 ms. */
  reconcileDelayMs?: number;
  /** Serve `metrics.k8s.io/v1beta1` (as when metrics-server is installed). Default false. */
  metrics?: boolean;
  /** Watch events kept for resuming watches; older resourceVersions get 410 Gone. Default 1000. */
  historyLimit?: number;
}

const group = (t: ResourceType) => (t.group ? `${t.group}/${t.version}` : t.version);
const qualified = (resource: string, t: ResourceType) => (t.group ? `${resource}.${t.group}` : resource);

/**
 * A Kubernetes API server over real HTTP for tests, following the real server's semantics for the calls
 * the Kubernetes executor makes (ADR 0019 lists them): paths and verbs, the three patch content types,
 * optimistic concurrency (stale resourceVersion → 409 Conflict Status), `generation` bumped on spec
 * changes only, `status` and `scale` subresources, label and field selectors, watch streams resumable
 * from a resourceVersion (410 Gone when too old), pod logs (`previous`, `tailLines`, `container`), 404
 * Status bodies and a metrics API that is absent unless enabled. Controllers are simulated by
 * FakeKubeController (Deployment → ReplicaSet → Pods, StatefulSet → Pods, rollout status).
 */
export class FakeKubeApiServer {
  readonly calls: KubeCall[] = [];
  readonly controller: FakeKubeController;
  url = "";
  private server: Server | null = null;
  private rv = 1;
  private readonly objects = new Map<string, any>();
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly logs = new Map<string, string>();
  private readonly podMetrics = new Map<string, { cpu: string; memory: string }>();
  metricsEnabled: boolean;
  /** Runs before a request is served: tests use it to make a concurrent change (a conflict) happen. */
  beforeRequest: ((method: string, path: string) => void) | null = null;

  constructor(private readonly opts: FakeKubeOptions = {}) {
    this.metricsEnabled = opts.metrics ?? false;
    this.controller = new FakeKubeController(this, opts.reconcileDelayMs ?? 20);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.controller.stop();
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  // ---- state, used by the controller and by tests ----

  get(resource: string, namespace: string, name: string): any | undefined {
    const o = this.objects.get(`${resource}/${namespace}/${name}`);
    return o ? structuredClone(o) : undefined;
  }

  list(resource: string, namespace: string | null, selector: string | null = null): any[] {
    return [...this.objects.values()]
      .filter((o) => o.__resource === resource && (namespace === null || (o.metadata.namespace ?? "") === namespace))
      .filter((o) => matchesLabels(o.metadata.labels ?? {}, selector))
      .map((o) => structuredClone(o));
  }

  /** Create or overwrite an object as the API server would store it (uid, resourceVersion, generation). */
  put(resource: string, object: any): any {
    const t = typeOf(resource);
    const ns = t.namespaced ? (object.metadata.namespace ?? "default") : "";
    const key = `${resource}/${ns}/${object.metadata.name}`;
    const old = this.objects.get(key);
    const o = structuredClone(object);
    o.apiVersion = group(t);
    o.kind = t.kind;
    o.metadata = { ...o.metadata, ...(t.namespaced ? { namespace: ns } : {}) };
    o.metadata.uid = old?.metadata.uid ?? o.metadata.uid ?? randomUUID();
    o.metadata.creationTimestamp =
      old?.metadata.creationTimestamp ?? o.metadata.creationTimestamp ?? new Date().toISOString();
    if (o.spec !== undefined && resource !== "pods" && resource !== "services" && resource !== "nodes") {
      const specChanged = !old || JSON.stringify(old.spec) !== JSON.stringify(o.spec);
      o.metadata.generation = (old?.metadata.generation ?? 0) + (specChanged ? 1 : 0);
    }
    o.metadata.resourceVersion = String(++this.rv);
    Object.defineProperty(o, "__resource", { value: resource, enumerable: false });
    this.objects.set(key, o);
    this.emit({ rv: this.rv, resource, namespace: ns, type: old ? "MODIFIED" : "ADDED", object: o });
    return structuredClone(o);
  }

  remove(resource: string, namespace: string, name: string): any | undefined {
    const key = `${resource}/${namespace}/${name}`;
    const old = this.objects.get(key);
    if (!old) return undefined;
    this.objects.delete(key);
    const gone = { ...structuredClone(old), metadata: { ...old.metadata, resourceVersion: String(++this.rv) } };
    this.emit({ rv: this.rv, resource, namespace, type: "DELETED", object: gone });
    return gone;
  }

  /** What `GET .../pods/NAME/log` answers (the previous container's with `previous`). */
  setLogs(namespace: string, pod: string, container: string, text: string, previous = false): void {
    this.logs.set(`${namespace}/${pod}/${container}/${previous}`, text);
  }

  setPodMetrics(namespace: string, pod: string, usage: { cpu: string; memory: string }): void {
    this.podMetrics.set(`${namespace}/${pod}`, usage);
  }

  /** How pods of a workload whose template matches behave (ready, crash-looping, OOMKilled …). */
  setPodFate(fate: (template: any, podName: string) => PodFate): void {
    this.controller.podFate = fate;
  }

  // ---- HTTP ----

  private emit(e: WatchEvent): void {
    this.history.push(e);
    const limit = this.opts.historyLimit ?? 1000;
    if (this.history.length > limit) this.history.splice(0, this.history.length - limit);
    for (const w of this.watchers) this.sendWatch(w, e);
    if (e.resource !== "events") this.controller.changed(e);
  }

  private sendWatch(w: Watcher, e: WatchEvent): void {
    if (e.resource !== w.resource || (w.namespace !== null && e.namespace !== w.namespace)) return;
    if (!matchesLabels(e.object.metadata.labels ?? {}, w.selector)) return;
    w.res.write(`${JSON.stringify({ type: e.type, object: wire(e.object) })}\n`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const call: KubeCall = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search,
      contentType: req.headers["content-type"] ?? null,
      status: 200,
    };
    this.calls.push(call);
    const send = (status: number, body: unknown, type = "application/json") => {
      call.status = status;
      res.writeHead(status, { "content-type": type });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    try {
      const raw = await readBody(req);
      this.beforeRequest?.(call.method, call.path);
      const r = this.route(url, req.method ?? "GET", raw, call.contentType, res, call);
      if (r) send(r.status, r.body, r.type);
    } catch (err) {
      if (err instanceof ApiError) send(err.code, statusBody(err.code, err.reason, err.message, err.details));
      else if (err instanceof PatchError) send(err.code, statusBody(err.code, err.reason, err.message));
      else send(500, statusBody(500, "InternalError", String(err)));
    }
  }

  private route(
    url: URL,
    method: string,
    raw: string,
    contentType: string | null,
    res: ServerResponse,
    call: KubeCall,
  ): { status: number; body: unknown; type?: string } | null {
    const parts = url.pathname.split("/").filter(Boolean);
    if (url.pathname.startsWith("/apis/metrics.k8s.io/v1beta1/")) return this.metrics(parts);
    let rest: string[];
    if (parts[0] === "api" && parts[1] === "v1") rest = parts.slice(2);
    else if (parts[0] === "apis" && parts.length >= 3) rest = parts.slice(3);
    else throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    let namespace: string | null = null;
    if (rest[0] === "namespaces" && rest.length >= 3) {
      namespace = rest[1] ?? null;
      rest = rest.slice(2);
    }
    const [resource = "", name, sub] = rest;
    const t = TYPES[resource];
    const apiGroup = parts[0] === "api" ? "" : `${parts[1]}`;
    if (!t || t.group !== apiGroup)
      throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    const ns = t.namespaced ? namespace : "";
    const q = url.searchParams;

    if (!name) {
      if (method !== "GET")
        throw new ApiError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
      const selector = q.get("labelSelector");
      const fields = q.get("fieldSelector");
      if (q.get("watch") === "true" || q.get("watch") === "1") {
        this.watch(resource, ns, selector, q.get("resourceVersion"), Number(q.get("timeoutSeconds") ?? 0), res, call);
        return null;
      }
      const items = this.list(resource, ns, selector).filter((o) => matchesFields(o, fields));
      return {
        status: 200,
        body: {
          kind: `${t.kind}List`,
          apiVersion: group(t),
          metadata: { resourceVersion: String(this.rv) },
          items: items.map(item),
        },
      };
    }

    const key = ns ?? "";
    const current = this.get(resource, key, name);
    const notFound = () =>
      new ApiError(404, "NotFound", `${qualified(resource, t)} "${name}" not found`, {
        name,
        group: t.group,
        kind: resource,
      });
    if (sub !== undefined && !t.sub.includes(sub))
      throw new ApiError(404, "NotFound", "the server could not find the requested resource");

    if (sub === "log") {
      if (!current) throw notFound();
      return { status: 200, body: this.podLog(current, q), type: "text/plain" };
    }
    if (sub === "scale") return this.scale(resource, key, name, current, method, raw, contentType, notFound);

    switch (method) {
      case "GET":
        if (!current) throw notFound();
        return { status: 200, body: wire(current) };
      case "DELETE": {
        if (!current) throw notFound();
        return { status: 200, body: wire(this.remove(resource, key, name)) };
      }
      case "PUT":
      case "PATCH": {
        if (!current) throw notFound();
        const body = parseJson(raw);
        const proposed = method === "PUT" ? body : applyPatch(current, body, contentType, resource);
        return { status: 200, body: wire(this.update(resource, current, proposed, sub === "status")) };
      }
      default:
        throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }
  }

  /**
   * A write through the main resource (spec and metadata; status is kept) or through `/status` (status
   * only). A resourceVersion in the proposed object that is not the current one is a 409 Conflict.
   */
  private update(resource: string, current: any, proposed: any, statusOnly: boolean): any {
    const t = typeOf(resource);
    const rv = proposed?.metadata?.resourceVersion;
    if (rv !== undefined && rv !== "" && rv !== current.metadata.resourceVersion) {
      throw new ApiError(
        409,
        "Conflict",
        `Operation cannot be fulfilled on ${qualified(resource, t)} "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: current.metadata.name, group: t.group, kind: resource },
      );
    }
    const next = statusOnly
      ? { ...current, status: proposed.status }
      : {
          ...proposed,
          metadata: { ...proposed.metadata, name: current.metadata.name, uid: current.metadata.uid },
          status: current.status,
        };
    const replicas = next.spec?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
      throw new ApiError(
        422,
        "Invalid",
        `${t.kind}.${t.group} "${current.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
        { name: current.metadata.name, group: t.group, kind: t.kind },
      );
    }
    return this.put(resource, next);
  }

  /** The `scale` subresource: an autoscaling/v1 Scale view of spec.replicas. */
  private scale(
    resource: string,
    ns: string,
    name: string,
    current: any,
    method: string,
    raw: string,
    contentType: string | null,
    notFound: () => ApiError,
  ) {
    if (!current) throw notFound();
    const view = scaleOf(current);
    if (method === "GET") return { status: 200, body: view };
    if (method !== "PUT" && method !== "PATCH")
      throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    const body = parseJson(raw);
    const proposed = method === "PUT" ? body : applyPatch(view, body, contentType, "scale");
    const updated = this.update(
      resource,
      current,
      {
        ...current,
        metadata: { ...current.metadata, resourceVersion: proposed.metadata?.resourceVersion },
        spec: { ...current.spec, replicas: proposed.spec?.replicas },
      },
      false,
    );
    return { status: 200, body: scaleOf(this.get(resource, ns, name) ?? updated) };
  }

  private podLog(pod: any, q: URLSearchParams): string {
    const containers: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
    let container = q.get("container");
    if (!container) {
      if (containers.length !== 1)
        throw new ApiError(
          400,
          "BadRequest",
          `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(" ")}]`,
        );
      container = containers[0] ?? "";
    }
    if (!containers.includes(container))
      throw new ApiError(400, "BadRequest", `container ${container} is not valid for pod ${pod.metadata.name}`);
    const previous = q.get("previous") === "true";
    const text = this.logs.get(`${pod.metadata.namespace}/${pod.metadata.name}/${container}/${previous}`);
    if (text === undefined && previous)
      throw new ApiError(
        400,
        "BadRequest",
        `previous terminated container "${container}" in pod "${pod.metadata.name}" not found`,
      );
    const lines = (text ?? "").split("\n").filter((l, i, all) => l !== "" || i < all.length - 1);
    const tail = q.get("tailLines");
    const kept = tail ? lines.slice(-Number(tail)) : lines;
    return kept.length > 0 ? `${kept.join("\n")}\n` : "";
  }

  private metrics(parts: string[]) {
    if (!this.metricsEnabled) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    const ns = parts[3] === "namespaces" ? (parts[4] ?? null) : null;
    const items = this.list("pods", ns).map((p) => {
      const usage = this.podMetrics.get(`${p.metadata.namespace}/${p.metadata.name}`) ?? { cpu: "0", memory: "0" };
      return {
        metadata: {
          name: p.metadata.name,
          namespace: p.metadata.namespace,
          labels: p.metadata.labels,
          creationTimestamp: new Date().toISOString(),
        },
        timestamp: new Date().toISOString(),
        window: "15s",
        containers: (p.spec?.containers ?? []).map((c: any) => ({ name: c.name, usage })),
      };
    });
    return { status: 200, body: { kind: "PodMetricsList", apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items } };
  }

  /**
   * A watch: without a resourceVersion, synthetic ADDED events for what exists, then changes; with one,
   * the changes after it, or an ERROR event carrying a 410 Expired Status when it is older than the history.
   */
  private watch(
    resource: string,
    ns: string | null,
    selector: string | null,
    fromRv: string | null,
    timeoutSeconds: number,
    res: ServerResponse,
    call: KubeCall,
  ): void {
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    res.flushHeaders();
    const w: Watcher = { resource, namespace: ns, selector, res };
    const from = fromRv && fromRv !== "0" ? Number(fromRv) : null;
    if (from === null) {
      for (const o of this.list(resource, ns, selector))
        res.write(`${JSON.stringify({ type: "ADDED", object: wire(o) })}\n`);
    } else {
      const oldest = this.history[0]?.rv ?? this.rv + 1;
      if (from < oldest - 1) {
        const status = statusBody(410, "Expired", `too old resource version: ${from} (${oldest - 1})`);
        res.end(`${JSON.stringify({ type: "ERROR", object: status })}\n`);
        call.status = 410;
        return;
      }
      for (const e of this.history) if (e.rv > from) this.sendWatch(w, e);
    }
    this.watchers.add(w);
    const close = () => {
      this.watchers.delete(w);
      res.end();
    };
    res.on("close", () => this.watchers.delete(w));
    if (timeoutSeconds > 0) setTimeout(close, timeoutSeconds * 1000).unref();
  }

  /** End every open watch (as an API server restart or a load balancer timeout would). */
  closeWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, string>,
  ) {
    super(message);
  }
}

function statusBody(code: number, reason: string, message: string, details?: Record<string, string>) {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

function typeOf(resource: string): ResourceType {
  const t = TYPES[resource];
  if (!t) throw new Error(`unknown resource ${resource}`);
  return t;
}

/** An object as it goes on the wire. */
function wire(o: any): any {
  return structuredClone(o);
}

/** List items carry no kind/apiVersion, as the real server sends them. */
function item(o: any): any {
  const { kind: _k, apiVersion: _a, ...rest } = o;
  return rest;
}

function scaleOf(o: any) {
  const labels = o.spec?.selector?.matchLabels ?? {};
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: o.spec?.replicas ?? 1 },
    status: {
      replicas: o.status?.replicas ?? 0,
      selector: Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    },
  };
}

function applyPatch(current: any, body: unknown, contentType: string | null, resource: string): any {
  const type = (contentType ?? "").split(";")[0]?.trim();
  switch (type) {
    case "application/strategic-merge-patch+json":
      if (resource === "scale") return mergePatch(current, body);
      return strategicMergePatch(current, body);
    case "application/merge-patch+json":
      return mergePatch(current, body);
    case "application/json-patch+json":
      return jsonPatch(current, body);
    default:
      throw new ApiError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
}

function parseJson(raw: string): any {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, "BadRequest", "the object provided is unrecognized (must be of type JSON)");
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Equality-based label selectors (`a=b`, `a==b`, `a!=b`), set-based `in`/`notin`, existence `a` / `!a`. */
export function matchesLabels(labels: Record<string, string>, selector: string | null): boolean {
  if (!selector) return true;
  const terms = selector.match(/[^,(]+(?:\([^)]*\))?/g) ?? [];
  return terms.every((raw) => {
    const term = raw.trim();
    const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = (set[3] ?? "").split(",").map((v) => v.trim());
      const has = values.includes(labels[set[1] ?? ""] ?? "\u0000");
      return set[2] === "in" ? has : !has;
    }
    const ne = /^([\w./-]+)\s*!=\s*(.*)$/.exec(term);
    if (ne) return labels[ne[1] ?? ""] !== ne[2];
    const eq = /^([\w./-]+)\s*==?\s*(.*)$/.exec(term);
    if (eq) return labels[eq[1] ?? ""] === eq[2];
    if (term.startsWith("!")) return !(term.slice(1) in labels);
    return term in labels;
  });
}

/** Field selectors as `path.to.field=value` terms (`involvedObject.name=x`, `spec.nodeName=n`). */
function matchesFields(o: any, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const [path = "", value = ""] = term.split(/!?==?/);
    const actual = path.split(".").reduce((node: any, k) => node?.[k], o);
    const equal = String(actual ?? "") === value;
    return term.includes("!=") ? !equal : equal;
  });
}
