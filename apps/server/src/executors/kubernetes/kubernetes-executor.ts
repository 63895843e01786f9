import type { ContainerInfo, ContainerMetrics, ScaleDownResult, ScaleEvent, Topology } from "@aegis/contracts";
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  Metrics,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1Pod,
  type V1StatefulSet,
} from "@kubernetes/client-node";
import type { Executor, HealthProbe, RestartResult, RollbackResult } from "../../ports/executor.js";
import type { RuntimeEvidence, RuntimeEvidenceSource } from "../../ports/runtime-evidence.js";
import { ConflictError, InputError, UpstreamError } from "../../shared/errors.js";
import type { Logger } from "../../shared/logger.js";
import { describeEvents, describeNode, describePod } from "./describe-pod.js";
import { parseQuantity } from "./kube-quantity.js";
import { deploymentRollout, type RolloutStatus, statefulSetRollout, unreadyPods } from "./rollout-status.js";
import { type Workload, WorkloadCache, type WorkloadKind } from "./workload-cache.js";

export interface KubernetesExecutorOptions {
  /** Kubeconfig file; unset: client-node's default (KUBECONFIG, ~/.kube/config, else the pod's service account). */
  kubeconfig?: string | undefined;
  /** A ready KubeConfig (tests); wins over `kubeconfig`. */
  kubeConfig?: KubeConfig;
  namespaces: readonly string[];
  labelSelector?: string | undefined;
  maxReplicas: number;
  rolloutTimeoutMs: number;
  logger: Logger;
}

const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
const REVISION = "deployment.kubernetes.io/revision";
/** Replicas the workload had before AegisOps first scaled it up: SCALE_DOWN returns to it. */
const BASELINE = "aegis.io/baseline-replicas";
const strategic = setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch);
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const json = setHeaderOptions("Content-Type", PatchStrategy.JsonPatch);

const selectorOf = (labels: Record<string, string> | undefined) =>
  Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

/**
 * The Kubernetes runtime (ADR 0019): Deployments and StatefulSets in the configured namespaces that match
 * the label selector. RESTART is a rollout restart, SCALE writes the scale subresource, ROLLBACK puts the
 * previous ReplicaSet's template back, verification is rollout status plus pod readiness. It is also the
 * runtime evidence source the pipeline reads before analysis.
 */
export class KubernetesExecutor implements Executor, RuntimeEvidenceSource {
  readonly kind = "kubernetes";
  private readonly kc: KubeConfig;
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private readonly cache: WorkloadCache;
  private metricsMissingLogged = false;

  constructor(private readonly o: KubernetesExecutorOptions) {
    this.kc = o.kubeConfig ?? loadKubeConfig(o);
    this.apps = this.kc.makeApiClient(AppsV1Api);
    this.core = this.kc.makeApiClient(CoreV1Api);
    this.cache = new WorkloadCache(this.kc, this.apps, o.namespaces, o.labelSelector, o.logger);
  }

  async start(): Promise<void> {
    await this.cache.start().catch((err) => {
      throw new UpstreamError(`cannot list workloads from the Kubernetes API: ${messageOf(err)}`);
    });
    this.o.logger.info(
      { namespaces: this.o.namespaces, workloads: this.targets().length },
      "kubernetes executor ready",
    );
  }

  async stop(): Promise<void> {
    this.cache.stop();
  }

  targets(): string[] {
    return this.cache.all().map((w) => (this.o.namespaces.length > 1 ? `${w.namespace}/${w.name}` : w.name));
  }

  /** A Deployment or StatefulSet in scope, by name or `namespace/name`; pods resolve through `resolve`. */
  has(target: string): boolean {
    return this.cache.find(target) !== undefined || podWorkloadName(target, this.cache) !== undefined;
  }

  async restart(target: string): Promise<RestartResult> {
    const w = await this.resolve(target);
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: new Date().toISOString() } } } } };
    const updated =
      w.kind === "Deployment"
        ? await this.apps.patchNamespacedDeployment({ name: w.name, namespace: w.namespace, body }, strategic)
        : await this.apps.patchNamespacedStatefulSet({ name: w.name, namespace: w.namespace, body }, strategic);
    this.cache.remember(w.kind, updated);
    return { target: w.name, status: "restarting" };
  }

  async scaleUp(target: string, count: number): Promise<ScaleEvent> {
    const w = await this.resolve(target);
    if (!Number.isInteger(count) || count < 1)
      throw new InputError(`replica count must be a positive integer, got ${count}`);
    if (count > this.o.maxReplicas)
      throw new InputError(`${count} replicas exceed MAX_REPLICAS (${this.o.maxReplicas})`);
    const base = baselineOf(w.object);
    await this.setBaseline(w, base);
    await this.scaleTo(w, base + count);
    const pods = await this.waitForPods(w, base + count);
    const services = await this.servicesSelecting(w);
    return {
      container_base: w.name,
      replica_count: count,
      replicas: pods.map((p) => p.metadata?.name ?? "?"),
      lb_configured: services.length > 0,
      timestamp: new Date().toISOString(),
    };
  }

  async scaleDown(target: string): Promise<ScaleDownResult> {
    const w = await this.resolve(target);
    const base = baselineOf(w.object);
    const before = await this.podsOf(w);
    await this.scaleTo(w, base);
    const after = new Set((await this.waitForPods(w, base)).map((p) => p.metadata?.name));
    return { removed: before.map((p) => p.metadata?.name ?? "?").filter((n) => !after.has(n)) };
  }

  /** Puts the previous ReplicaSet revision's pod template back (what `kubectl rollout undo` does). */
  async rollback(target: string): Promise<RollbackResult> {
    const w = await this.resolve(target);
    if (w.kind !== "Deployment") throw new InputError(`${w.kind} ${w.name} has no ReplicaSet history to roll back to`);
    for (let attempt = 1; ; attempt++) {
      const d = await this.apps.readNamespacedDeployment({ name: w.name, namespace: w.namespace });
      const sets = (
        await this.apps.listNamespacedReplicaSet({
          namespace: w.namespace,
          labelSelector: selectorOf(d.spec?.selector.matchLabels),
        })
      ).items
        .filter((rs) => (rs.metadata?.ownerReferences ?? []).some((r) => r.uid === d.metadata?.uid))
        .map((rs) => ({ rs, revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0) }))
        .sort((a, b) => b.revision - a.revision);
      const current = Number(d.metadata?.annotations?.[REVISION] ?? sets[0]?.revision ?? 0);
      const previous = sets.find((s) => s.revision < current && s.rs.spec?.template);
      if (!previous?.rs.spec?.template)
        throw new ConflictError(`deployment ${w.name} has no previous revision to roll back to (revision ${current})`);
      const template = structuredClone(previous.rs.spec.template);
      if (template.metadata?.labels) delete template.metadata.labels["pod-template-hash"];
      try {
        // The test makes the replace conditional on the version read: a concurrent change is a 422, then re-read.
        const updated = await this.apps.patchNamespacedDeployment(
          {
            name: w.name,
            namespace: w.namespace,
            body: [
              { op: "test", path: "/metadata/resourceVersion", value: d.metadata?.resourceVersion },
              { op: "replace", path: "/spec/template", value: template },
            ],
          },
          json,
        );
        this.cache.remember("Deployment", updated);
        return {
          target: w.name,
          fromVersion: `revision ${current} (${imagesOf(d.spec?.template.spec?.containers)})`,
          toVersion: `revision ${previous.revision} (${imagesOf(template.spec?.containers)})`,
          status: "rolling back",
        };
      } catch (err) {
        if (!(err instanceof ApiException && err.code === 422) || attempt >= 3) throw err;
      }
    }
  }

  canRollback(target: string): boolean {
    const w = this.cache.find(target);
    return w?.kind === "Deployment" && Number(w.object.metadata?.annotations?.[REVISION] ?? 0) >= 2;
  }

  /** Healthy when the rollout is complete and every pod of the workload is Ready. */
  async probe(target: string, timeoutMs: number): Promise<HealthProbe> {
    const signal = AbortSignal.timeout(timeoutMs);
    const w = await this.resolve(target);
    const fresh = await this.read(w);
    if (signal.aborted) return { healthy: false, detail: `no answer from the Kubernetes API within ${timeoutMs} ms` };
    const status: RolloutStatus =
      w.kind === "Deployment" ? deploymentRollout(fresh as V1Deployment) : statefulSetRollout(fresh as V1StatefulSet);
    if (!status.done) return { healthy: false, detail: status.detail };
    const unready = unreadyPods(await this.podsOf({ ...w, object: fresh }));
    if (unready.length > 0)
      return { healthy: false, detail: `${status.detail}, but pods are not ready: ${unready.join(", ")}` };
    return { healthy: true, detail: status.detail };
  }

  replicaCount(target: string): number {
    const w = this.cache.find(target);
    if (!w) return 0;
    return Math.max(0, (w.object.spec?.replicas ?? 1) - baselineOf(w.object));
  }

  async containers(): Promise<ContainerInfo[]> {
    return (await this.allPods()).map((p) => ({
      name: p.metadata?.name ?? "?",
      status: podStatus(p),
      image: imagesOf(p.spec?.containers),
      id: p.metadata?.uid ?? "",
    }));
  }

  /** Pod usage from metrics.k8s.io when metrics-server runs; none (and one log line saying so) when it does not. */
  async metrics(): Promise<ContainerMetrics[]> {
    const pods = await this.allPods();
    const usage = new Map<string, { cpu: number; memory: number }>();
    const api = new Metrics(this.kc);
    for (const ns of this.o.namespaces) {
      try {
        for (const m of (await api.getPodMetrics(ns)).items) {
          const sum = m.containers.reduce(
            (a, c) => ({
              cpu: a.cpu + (parseQuantity(c.usage.cpu) ?? 0),
              memory: a.memory + (parseQuantity(c.usage.memory) ?? 0),
            }),
            { cpu: 0, memory: 0 },
          );
          usage.set(`${m.metadata.namespace}/${m.metadata.name}`, sum);
        }
      } catch (err) {
        if (!this.metricsMissingLogged) {
          this.metricsMissingLogged = true;
          this.o.logger.warn(
            { err: messageOf(err) },
            "metrics.k8s.io is not available (metrics-server not installed?): no pod metrics",
          );
        }
        return [];
      }
    }
    const now = Date.now();
    return pods.flatMap((p) => {
      const u = usage.get(`${p.metadata?.namespace}/${p.metadata?.name}`);
      if (!u) return [];
      const limits = (p.spec?.containers ?? []).map((c) => c.resources?.limits ?? {});
      const cpuLimit = sumOf(limits.map((l) => l.cpu));
      const memLimit = sumOf(limits.map((l) => l.memory));
      const started = p.status?.startTime ?? p.metadata?.creationTimestamp;
      return [
        {
          name: p.metadata?.name ?? "?",
          // Of the pod's CPU limit; of one core when it has none (as `docker stats` counts).
          cpu_percent: round((u.cpu / (cpuLimit ?? 1)) * 100),
          memory_mb: round(u.memory / 2 ** 20),
          memory_limit_mb: round((memLimit ?? 0) / 2 ** 20),
          memory_percent: memLimit ? round((u.memory / memLimit) * 100) : 0,
          // metrics.k8s.io carries no network counters.
          net_rx_bytes: 0,
          net_tx_bytes: 0,
          status: podStatus(p),
          uptime_seconds: started ? Math.max(0, Math.round((now - new Date(started).getTime()) / 1000)) : 0,
          image: imagesOf(p.spec?.containers),
        },
      ];
    });
  }

  /** Seed 000's node types: AegisOps (agent), Services (loadbalancer), workloads (app), their pods (replica). */
  async topology(): Promise<Topology> {
    const nodes: Topology["nodes"] = [{ id: "aegisops", type: "agent", status: "running", image: "aegisops" }];
    const edges: Topology["edges"] = [];
    const pods = await this.allPods();
    const services = (
      await Promise.all(this.o.namespaces.map((ns) => this.core.listNamespacedService({ namespace: ns })))
    ).flatMap((l) => l.items);
    for (const w of this.cache.all()) {
      const id = `${w.namespace}/${w.name}`;
      const ready = (w.object.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
      nodes.push({
        id,
        type: "app",
        status: `${ready}/${w.object.spec?.replicas ?? 1} ready`,
        image: imagesOf(w.object.spec?.template.spec?.containers),
      });
      edges.push({ from: "aegisops", to: id, label: "monitors" });
      const selector = w.object.spec?.selector.matchLabels ?? {};
      for (const p of pods.filter(
        (p) => p.metadata?.namespace === w.namespace && matches(p.metadata?.labels, selector),
      )) {
        const pid = `${w.namespace}/${p.metadata?.name}`;
        nodes.push({ id: pid, type: "replica", status: podStatus(p), image: imagesOf(p.spec?.containers) });
        edges.push({ from: id, to: pid, label: "owns" });
      }
    }
    for (const s of services) {
      const id = `${s.metadata?.namespace}/service/${s.metadata?.name}`;
      nodes.push({ id, type: "loadbalancer", status: s.spec?.type ?? "ClusterIP", image: "kubernetes-service" });
      for (const p of pods.filter(
        (p) =>
          p.metadata?.namespace === s.metadata?.namespace &&
          s.spec?.selector &&
          matches(p.metadata?.labels, s.spec.selector),
      )) {
        edges.push({ from: id, to: `${s.metadata?.namespace}/${p.metadata?.name}`, label: "routes" });
      }
    }
    return { nodes, edges };
  }

  async logs(target: string, lines: number): Promise<string> {
    const w = await this.resolve(target);
    const pod = (await this.podsOf(w))[0];
    if (!pod?.metadata?.name) return "";
    return this.podLog(pod, Math.max(1, Math.floor(lines)), false);
  }

  async gatherEvidence(target: string): Promise<RuntimeEvidence | null> {
    const named = await this.podByName(target);
    const w = this.cache.find(target) ?? (named ? this.ownerWorkload(named) : undefined);
    if (!w && !named) return null;
    const pods = named ? [named] : w ? await this.podsOf(w) : [];
    // The pods an SRE would open first: not ready ones, then the most restarted.
    const chosen = [...pods].sort((a, b) => badness(b) - badness(a)).slice(0, 2);
    const ns = w?.namespace ?? named?.metadata?.namespace ?? "default";
    const involved = [...(w ? [w.name] : []), ...chosen.map((p) => p.metadata?.name ?? "")];
    const events = (
      await Promise.all(
        involved.map((n) =>
          this.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${n}` }),
        ),
      )
    ).flatMap((l) => l.items);
    const first = chosen[0];
    const [logs, previousLogs] = first
      ? await Promise.all([this.podLog(first, 50, false), this.podLog(first, 50, true)])
      : ["", ""];
    const nodeNames = [...new Set(chosen.map((p) => p.spec?.nodeName).filter((n): n is string => !!n))];
    const nodes = await Promise.all(nodeNames.map((name) => this.core.readNode({ name }).catch(() => null)));
    const kind: WorkloadKind | "Pod" = w?.kind ?? "Pod";
    return {
      subject: `${kind} ${ns}/${w?.name ?? named?.metadata?.name}`,
      describe: chosen.map(describePod).join("\n\n"),
      events: describeEvents(events),
      logs,
      previousLogs,
      nodeConditions: nodes.flatMap((n) => (n ? [describeNode(n)] : [])).join("\n"),
      labels: { ...(w?.object.metadata?.labels ?? named?.metadata?.labels ?? {}) },
      humanOnly:
        kind === "StatefulSet" ? `${w?.name} is a StatefulSet (stable identity and storage): a human decides` : null,
    };
  }

  // ---- internals ----

  /** The workload a target names: a Deployment/StatefulSet in scope, or the owner of a pod in scope. */
  private async resolve(target: string): Promise<Workload> {
    const cached = this.cache.find(target);
    if (cached) return cached;
    const pod = await this.podByName(target);
    const owner = pod ? this.ownerWorkload(pod) : undefined;
    if (owner) return owner;
    if (pod) {
      throw new ConflictError(
        `pod ${target} has no Deployment or StatefulSet in scope (namespaces ${this.o.namespaces.join(", ")}${this.o.labelSelector ? `, selector ${this.o.labelSelector}` : ""}): AegisOps does not act on it`,
      );
    }
    throw new InputError(
      `no Deployment or StatefulSet "${target}" in namespaces ${this.o.namespaces.join(", ")}${this.o.labelSelector ? ` matching ${this.o.labelSelector}` : ""}`,
    );
  }

  private ownerWorkload(pod: V1Pod): Workload | undefined {
    const ns = pod.metadata?.namespace ?? "";
    const ref = (pod.metadata?.ownerReferences ?? []).find((r) => r.controller);
    if (!ref) return undefined;
    if (ref.kind === "StatefulSet") return this.cache.find(`${ns}/${ref.name}`);
    if (ref.kind === "ReplicaSet") {
      // A ReplicaSet of a Deployment is named <deployment>-<pod-template-hash>.
      const hash = pod.metadata?.labels?.["pod-template-hash"];
      const name = hash && ref.name.endsWith(`-${hash}`) ? ref.name.slice(0, -hash.length - 1) : ref.name;
      const w = this.cache.find(`${ns}/${name}`);
      return w?.kind === "Deployment" ? w : undefined;
    }
    return undefined;
  }

  private async podByName(target: string): Promise<V1Pod | undefined> {
    const [ns, name] = target.includes("/") ? (target.split("/", 2) as [string, string]) : [null, target];
    for (const n of ns ? [ns] : this.o.namespaces) {
      if (!this.o.namespaces.includes(n)) continue;
      try {
        return await this.core.readNamespacedPod({ name, namespace: n });
      } catch (err) {
        if (!(err instanceof ApiException && err.code === 404)) throw err;
      }
    }
    return undefined;
  }

  private async read(w: Workload): Promise<V1Deployment | V1StatefulSet> {
    const o =
      w.kind === "Deployment"
        ? await this.apps.readNamespacedDeployment({ name: w.name, namespace: w.namespace })
        : await this.apps.readNamespacedStatefulSet({ name: w.name, namespace: w.namespace });
    this.cache.remember(w.kind, o);
    return o;
  }

  private async setBaseline(w: Workload, base: number): Promise<void> {
    if (w.object.metadata?.annotations?.[BASELINE] !== undefined) return;
    const body = { metadata: { annotations: { [BASELINE]: String(base) } } };
    const updated =
      w.kind === "Deployment"
        ? await this.apps.patchNamespacedDeployment({ name: w.name, namespace: w.namespace, body }, merge)
        : await this.apps.patchNamespacedStatefulSet({ name: w.name, namespace: w.namespace, body }, merge);
    this.cache.remember(w.kind, updated);
  }

  /** Writes spec.replicas through the scale subresource, conditional on the version read (409 → re-read, retry). */
  private async scaleTo(w: Workload, replicas: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const scale =
        w.kind === "Deployment"
          ? await this.apps.readNamespacedDeploymentScale({ name: w.name, namespace: w.namespace })
          : await this.apps.readNamespacedStatefulSetScale({ name: w.name, namespace: w.namespace });
      const body = { metadata: { resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas } };
      try {
        if (w.kind === "Deployment")
          await this.apps.patchNamespacedDeploymentScale({ name: w.name, namespace: w.namespace, body }, merge);
        else await this.apps.patchNamespacedStatefulSetScale({ name: w.name, namespace: w.namespace, body }, merge);
        await this.read(w);
        return;
      } catch (err) {
        if (!(err instanceof ApiException && err.code === 409) || attempt >= 3) throw err;
      }
    }
  }

  /** The workload's pods once `replicas` of them exist (or the rollout timeout passed). */
  private async waitForPods(w: Workload, replicas: number): Promise<V1Pod[]> {
    const end = Date.now() + this.o.rolloutTimeoutMs;
    let pods = await this.podsOf(w);
    while (pods.length !== replicas && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      pods = await this.podsOf(w);
    }
    return pods;
  }

  private async podsOf(w: Workload): Promise<V1Pod[]> {
    const selector = selectorOf(w.object.spec?.selector.matchLabels);
    return (await this.core.listNamespacedPod({ namespace: w.namespace, labelSelector: selector })).items.filter(
      (p) => !p.metadata?.deletionTimestamp,
    );
  }

  private async allPods(): Promise<V1Pod[]> {
    const lists = await Promise.all(this.o.namespaces.map((ns) => this.core.listNamespacedPod({ namespace: ns })));
    const workloads = this.cache.all();
    return lists
      .flatMap((l) => l.items)
      .filter((p) =>
        workloads.some(
          (w) =>
            w.namespace === p.metadata?.namespace &&
            matches(p.metadata?.labels, w.object.spec?.selector.matchLabels ?? { "": "" }),
        ),
      );
  }

  private async servicesSelecting(w: Workload) {
    const labels = w.object.spec?.template.metadata?.labels ?? {};
    return (await this.core.listNamespacedService({ namespace: w.namespace })).items.filter(
      (s) => s.spec?.selector && Object.keys(s.spec.selector).length > 0 && matches(labels, s.spec.selector),
    );
  }

  /** Last lines of the first container; "" when there is no previous container (the API's 400). */
  private async podLog(pod: V1Pod, tailLines: number, previous: boolean): Promise<string> {
    const container = pod.spec?.containers[0]?.name;
    try {
      return await this.core.readNamespacedPodLog({
        name: pod.metadata?.name ?? "",
        namespace: pod.metadata?.namespace ?? "",
        container,
        tailLines,
        previous,
      });
    } catch (err) {
      if (err instanceof ApiException && (err.code === 400 || err.code === 404)) return "";
      throw err;
    }
  }
}

function loadKubeConfig(o: KubernetesExecutorOptions): KubeConfig {
  const kc = new KubeConfig();
  if (o.kubeconfig) kc.loadFromFile(o.kubeconfig);
  else kc.loadFromDefault();
  return kc;
}

function podWorkloadName(target: string, cache: WorkloadCache): string | undefined {
  // A pod of a Deployment is <deployment>-<rs hash>-<suffix>; of a StatefulSet <name>-<ordinal>.
  const m = /^(?:([a-z0-9-]+)\/)?([a-z0-9-]+?)-(?:[a-z0-9]{5,10}-[a-z0-9]{5}|\d+)$/.exec(target);
  if (!m?.[2]) return undefined;
  return cache.find(m[1] ? `${m[1]}/${m[2]}` : m[2])?.name;
}

function baselineOf(o: V1Deployment | V1StatefulSet): number {
  const recorded = Number(o.metadata?.annotations?.[BASELINE]);
  return Number.isInteger(recorded) && recorded >= 0 ? recorded : (o.spec?.replicas ?? 1);
}

function matches(labels: Record<string, string> | undefined, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function imagesOf(containers: readonly { image?: string }[] | undefined): string {
  return (containers ?? []).map((c) => c.image ?? "?").join(",") || "?";
}

function podStatus(p: V1Pod): string {
  const waiting = (p.status?.containerStatuses ?? []).find((c) => c.state?.waiting)?.state?.waiting?.reason;
  if (waiting) return waiting;
  const ready = (p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
  return p.status?.phase === "Running"
    ? ready
      ? "running"
      : "not ready"
    : (p.status?.phase ?? "unknown").toLowerCase();
}

function badness(p: V1Pod): number {
  const ready = (p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
  const restarts = (p.status?.containerStatuses ?? []).reduce((a, c) => a + c.restartCount, 0);
  return (ready ? 0 : 1000) + restarts;
}

function sumOf(values: (string | undefined)[]): number | null {
  const parsed = values.map(parseQuantity);
  return parsed.every((v) => v !== null) && parsed.length > 0 ? parsed.reduce<number>((a, v) => a + (v ?? 0), 0) : null;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function messageOf(err: unknown): string {
  if (err instanceof ApiException)
    return `HTTP ${err.code}: ${typeof err.body === "string" ? err.body : JSON.stringify(err.body)}`;
  return err instanceof Error ? err.message : String(err);
}
