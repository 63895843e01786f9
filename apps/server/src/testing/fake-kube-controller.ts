// biome-ignore-all lint/suspicious/noExplicitAny: Kubernetes API objects are untyped JSON documents here.
import { createHash, randomBytes } from "node:crypto";

/** How a pod created from a template behaves once scheduled. */
export interface PodFate {
  ready: boolean;
  /** The container is waiting (CrashLoopBackOff, ImagePullBackOff …). */
  waiting?: { reason: string; message?: string };
  /** The previous container instance ended (OOMKilled with exit code 137 …). */
  lastTerminated?: { reason: string; exitCode: number };
  restartCount?: number;
}

/** The store the controllers work on (the fake API server). */
interface Store {
  get(resource: string, namespace: string, name: string): any | undefined;
  list(resource: string, namespace: string | null, selector?: string | null): any[];
  put(resource: string, object: any): any;
  remove(resource: string, namespace: string, name: string): any | undefined;
}

const REVISION = "deployment.kubernetes.io/revision";
/** Key order does not change an object's meaning, so it does not change its hash either. */
const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === "object"
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;
const hashOf = (v: unknown) =>
  createHash("sha256")
    .update(JSON.stringify(canonical(v)))
    .digest("hex")
    .slice(0, 10);
const suffix = () => randomBytes(3).toString("hex").slice(0, 5);
const ownedBy = (o: any, uid: string) => (o.metadata.ownerReferences ?? []).some((r: any) => r.uid === uid);
const same = (a: any, b: any) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What the controller manager and the kubelet do, reduced to what the executor observes: the Deployment
 * controller (a ReplicaSet per pod template, revision annotations, reuse of an old ReplicaSet on
 * rollback, rollout status and conditions, ProgressDeadlineExceeded), the ReplicaSet and StatefulSet
 * controllers (pods to the replica count, replaced when their template changes) and a kubelet whose pods
 * behave as `podFate` says. Old ReplicaSets go to 0 at once (no surge): enough to observe a rollout.
 */
export class FakeKubeController {
  podFate: (template: any, podName: string) => PodFate = () => ({ ready: true });
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly specChangedAt = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly delayMs: number,
  ) {}

  changed(e: { resource: string; type: string; object: any }): void {
    if (e.resource === "deployments" && e.type !== "DELETED") {
      const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      const g = e.object.metadata.generation;
      if (e.object.status?.observedGeneration !== g) this.specChangedAt.set(key, Date.now());
    }
    this.schedule(this.delayMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reconcile();
    }, ms);
    this.timer.unref();
  }

  private write(resource: string, next: any, current: any | undefined): void {
    if (
      current &&
      same(
        { ...next, metadata: { ...next.metadata, resourceVersion: "" } },
        { ...current, metadata: { ...current.metadata, resourceVersion: "" } },
      )
    )
      return;
    this.store.put(resource, next);
  }

  reconcile(): void {
    for (const d of this.store.list("deployments", null)) this.deployment(d);
    for (const rs of this.store.list("replicasets", null)) this.replicaSet(rs);
    for (const s of this.store.list("statefulsets", null)) this.statefulSet(s);
    for (const d of this.store.list("deployments", null)) this.deploymentStatus(d);
  }

  private deployment(d: any): void {
    const ns = d.metadata.namespace;
    const hash = hashOf(d.spec.template);
    const owned = this.store.list("replicasets", ns).filter((rs) => ownedBy(rs, d.metadata.uid));
    const maxRev = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
    let current = owned.find((rs) => rs.metadata.labels?.["pod-template-hash"] === hash);
    if (!current) {
      current = {
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: ns,
          labels: { ...d.spec.template.metadata?.labels, "pod-template-hash": hash },
          annotations: { [REVISION]: String(maxRev + 1) },
          ownerReferences: [
            { apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true },
          ],
        },
        spec: {
          replicas: d.spec.replicas ?? 1,
          selector: { matchLabels: { ...d.spec.selector?.matchLabels, "pod-template-hash": hash } },
          template: {
            ...d.spec.template,
            metadata: {
              ...d.spec.template.metadata,
              labels: { ...d.spec.template.metadata?.labels, "pod-template-hash": hash },
            },
          },
        },
      };
      this.store.put("replicasets", current);
    } else if (Number(current.metadata.annotations?.[REVISION] ?? 0) !== maxRev) {
      // Rolling back to an old template reuses its ReplicaSet, which becomes the newest revision.
      this.write(
        "replicasets",
        {
          ...current,
          metadata: {
            ...current.metadata,
            annotations: { ...current.metadata.annotations, [REVISION]: String(maxRev + 1) },
          },
        },
        current,
      );
    }
    for (const rs of this.store.list("replicasets", ns).filter((r) => ownedBy(r, d.metadata.uid))) {
      const want = rs.metadata.name === current.metadata.name ? (d.spec.replicas ?? 1) : 0;
      if (rs.spec.replicas !== want) this.write("replicasets", { ...rs, spec: { ...rs.spec, replicas: want } }, rs);
    }
    const fresh = this.store.get("replicasets", ns, current.metadata.name);
    const revision = fresh?.metadata.annotations?.[REVISION];
    const latest = this.store.get("deployments", ns, d.metadata.name);
    if (latest && revision && latest.metadata.annotations?.[REVISION] !== revision) {
      this.write(
        "deployments",
        {
          ...latest,
          metadata: { ...latest.metadata, annotations: { ...latest.metadata.annotations, [REVISION]: revision } },
        },
        latest,
      );
    }
  }

  private replicaSet(rs: any): void {
    const ns = rs.metadata.namespace;
    const pods = this.store.list("pods", ns).filter((p) => ownedBy(p, rs.metadata.uid));
    const want = rs.spec.replicas ?? 0;
    for (let i = pods.length; i < want; i++) {
      this.store.put(
        "pods",
        this.pod(`${rs.metadata.name}-${suffix()}`, ns, rs.spec.template, {
          kind: "ReplicaSet",
          name: rs.metadata.name,
          uid: rs.metadata.uid,
        }),
      );
    }
    for (const extra of pods.slice(want)) this.store.remove("pods", ns, extra.metadata.name);
    const live = this.store.list("pods", ns).filter((p) => ownedBy(p, rs.metadata.uid));
    const ready = live.filter(podReady).length;
    const status = {
      replicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    };
    const latest = this.store.get("replicasets", ns, rs.metadata.name);
    if (latest) this.write("replicasets", { ...latest, status }, latest);
  }

  private statefulSet(s: any): void {
    const ns = s.metadata.namespace;
    const revision = `${s.metadata.name}-${hashOf(s.spec.template)}`;
    const want = s.spec.replicas ?? 1;
    for (let i = 0; i < want; i++) {
      const name = `${s.metadata.name}-${i}`;
      const pod = this.store.get("pods", ns, name);
      if (pod && pod.metadata.labels?.["controller-revision-hash"] === revision) continue;
      if (pod) this.store.remove("pods", ns, name);
      const template = {
        ...s.spec.template,
        metadata: {
          ...s.spec.template.metadata,
          labels: { ...s.spec.template.metadata?.labels, "controller-revision-hash": revision },
        },
      };
      this.store.put(
        "pods",
        this.pod(name, ns, template, { kind: "StatefulSet", name: s.metadata.name, uid: s.metadata.uid }),
      );
    }
    const pods = this.store.list("pods", ns).filter((p) => ownedBy(p, s.metadata.uid));
    for (const p of pods)
      if (Number(p.metadata.name.split("-").pop()) >= want) this.store.remove("pods", ns, p.metadata.name);
    const live = this.store.list("pods", ns).filter((p) => ownedBy(p, s.metadata.uid));
    const ready = live.filter(podReady).length;
    const latest = this.store.get("statefulsets", ns, s.metadata.name);
    const status = {
      observedGeneration: latest.metadata.generation,
      replicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      currentReplicas: live.length,
      updatedReplicas: live.filter((p) => p.metadata.labels?.["controller-revision-hash"] === revision).length,
      currentRevision: revision,
      updateRevision: revision,
    };
    this.write("statefulsets", { ...latest, status }, latest);
  }

  private deploymentStatus(d: any): void {
    const ns = d.metadata.namespace;
    const latest = this.store.get("deployments", ns, d.metadata.name);
    if (!latest) return;
    const hash = hashOf(latest.spec.template);
    const owned = this.store.list("replicasets", ns).filter((rs) => ownedBy(rs, latest.metadata.uid));
    const pods = owned.flatMap((rs) => this.store.list("pods", ns).filter((p) => ownedBy(p, rs.metadata.uid)));
    const updated = pods.filter((p) => p.metadata.labels?.["pod-template-hash"] === hash);
    const available = pods.filter(podReady).length;
    const want = latest.spec.replicas ?? 1;
    const complete = updated.length === want && pods.length === want && available === want;
    const key = `${ns}/${latest.metadata.name}`;
    const deadlineMs = (latest.spec.progressDeadlineSeconds ?? 600) * 1000;
    const since = this.specChangedAt.get(key) ?? 0;
    const exceeded = !complete && Date.now() - since >= deadlineMs;
    if (!complete && !exceeded) this.schedule(Math.max(this.delayMs, since + deadlineMs - Date.now()));
    const now = new Date().toISOString();
    const prev = (type: string) => (latest.status?.conditions ?? []).find((c: any) => c.type === type);
    const condition = (type: string, status: string, reason: string, message: string) => {
      const p = prev(type);
      const changed = !p || p.status !== status || p.reason !== reason;
      return {
        type,
        status,
        reason,
        message,
        lastUpdateTime: changed ? now : p.lastUpdateTime,
        lastTransitionTime: changed || p.status !== status ? now : p.lastTransitionTime,
      };
    };
    const rsName = owned.find((rs) => rs.metadata.labels?.["pod-template-hash"] === hash)?.metadata.name ?? "";
    const status = {
      observedGeneration: latest.metadata.generation,
      replicas: pods.length,
      updatedReplicas: updated.length,
      readyReplicas: available,
      availableReplicas: available,
      ...(want - available > 0 ? { unavailableReplicas: want - available } : {}),
      conditions: [
        available >= want
          ? condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
          : condition(
              "Available",
              "False",
              "MinimumReplicasUnavailable",
              "Deployment does not have minimum availability.",
            ),
        complete
          ? condition(
              "Progressing",
              "True",
              "NewReplicaSetAvailable",
              `ReplicaSet "${rsName}" has successfully progressed.`,
            )
          : exceeded
            ? condition(
                "Progressing",
                "False",
                "ProgressDeadlineExceeded",
                `ReplicaSet "${rsName}" has timed out progressing.`,
              )
            : condition("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`),
      ],
    };
    this.write("deployments", { ...latest, status }, latest);
  }

  private pod(name: string, ns: string, template: any, owner: { kind: string; name: string; uid: string }): any {
    const fate = this.podFate(template, name);
    const now = new Date().toISOString();
    const containers: any[] = template.spec?.containers ?? [];
    return {
      metadata: {
        name,
        namespace: ns,
        labels: { ...template.metadata?.labels },
        annotations: { ...template.metadata?.annotations },
        ownerReferences: [{ apiVersion: "apps/v1", ...owner, controller: true }],
      },
      spec: { ...template.spec, nodeName: "node-1" },
      status: {
        phase: "Running",
        conditions: [
          { type: "PodScheduled", status: "True", lastTransitionTime: now },
          { type: "ContainersReady", status: fate.ready ? "True" : "False", lastTransitionTime: now },
          { type: "Ready", status: fate.ready ? "True" : "False", lastTransitionTime: now },
        ],
        containerStatuses: containers.map((c) => ({
          name: c.name,
          image: c.image,
          ready: fate.ready,
          started: fate.ready,
          restartCount: fate.restartCount ?? 0,
          state: fate.waiting ? { waiting: fate.waiting } : { running: { startedAt: now } },
          lastState: fate.lastTerminated
            ? { terminated: { ...fate.lastTerminated, startedAt: now, finishedAt: now } }
            : {},
        })),
      },
    };
  }
}

function podReady(p: any): boolean {
  return (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
}
