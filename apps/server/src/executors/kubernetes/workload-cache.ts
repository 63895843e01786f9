import { type AppsV1Api, type KubeConfig, type V1Deployment, type V1StatefulSet, Watch } from "@kubernetes/client-node";
import type { Logger } from "../../shared/logger.js";

export type WorkloadKind = "Deployment" | "StatefulSet";

export interface Workload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  object: V1Deployment | V1StatefulSet;
}

const PLURAL: Record<WorkloadKind, string> = { Deployment: "deployments", StatefulSet: "statefulsets" };

/**
 * The Deployments and StatefulSets the executor may act on, kept current by list + watch per namespace
 * (the informer pattern): the executor port's synchronous questions (targets, has, replicaCount,
 * canRollback) are answered from here. A watch that ends or reports an error (410 Gone) is re-listed.
 */
export class WorkloadCache {
  private readonly items = new Map<string, Workload>();
  private readonly aborts = new Set<AbortController>();
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly apps: AppsV1Api,
    private readonly namespaces: readonly string[],
    private readonly selector: string | undefined,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await Promise.all(
      this.namespaces.flatMap((ns) => (["Deployment", "StatefulSet"] as const).map((kind) => this.sync(kind, ns))),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const a of this.aborts) a.abort();
    this.aborts.clear();
  }

  all(): Workload[] {
    return [...this.items.values()];
  }

  /** By `name` (first configured namespace that has it) or `namespace/name`. */
  find(target: string): Workload | undefined {
    const [ns, name] = target.includes("/") ? (target.split("/", 2) as [string, string]) : [null, target];
    for (const kind of ["Deployment", "StatefulSet"] as const) {
      for (const n of ns ? [ns] : this.namespaces) {
        const w = this.items.get(`${kind}/${n}/${name}`);
        if (w) return w;
      }
    }
    return undefined;
  }

  /** Record what a write returned, so the next synchronous answer does not wait for the watch. */
  remember(kind: WorkloadKind, object: V1Deployment | V1StatefulSet): void {
    const ns = object.metadata?.namespace ?? "";
    const name = object.metadata?.name ?? "";
    const old = this.items.get(`${kind}/${ns}/${name}`);
    if (old && Number(old.object.metadata?.resourceVersion ?? 0) > Number(object.metadata?.resourceVersion ?? 0))
      return;
    this.items.set(`${kind}/${ns}/${name}`, { kind, namespace: ns, name, object });
  }

  private async sync(kind: WorkloadKind, ns: string): Promise<void> {
    const list =
      kind === "Deployment"
        ? await this.apps.listNamespacedDeployment({ namespace: ns, labelSelector: this.selector })
        : await this.apps.listNamespacedStatefulSet({ namespace: ns, labelSelector: this.selector });
    for (const key of [...this.items.keys()]) if (key.startsWith(`${kind}/${ns}/`)) this.items.delete(key);
    for (const o of list.items) this.remember(kind, o);
    if (!this.stopped) await this.watch(kind, ns, list.metadata?.resourceVersion);
  }

  private async watch(kind: WorkloadKind, ns: string, resourceVersion: string | undefined): Promise<void> {
    let again = false;
    const resync = () => {
      if (again || this.stopped) return;
      again = true;
      setTimeout(() => {
        this.sync(kind, ns).catch((err) => {
          this.logger.warn({ err, kind, namespace: ns }, "kubernetes re-list failed; retrying");
          again = false;
          resync();
        });
      }, 500).unref();
    };
    const controller = await new Watch(this.kc).watch(
      `/apis/apps/v1/namespaces/${ns}/${PLURAL[kind]}`,
      { labelSelector: this.selector, resourceVersion, allowWatchBookmarks: true },
      (phase, obj) => {
        if (phase === "ADDED" || phase === "MODIFIED") this.remember(kind, obj);
        else if (phase === "DELETED") this.items.delete(`${kind}/${ns}/${obj.metadata?.name}`);
        else if (phase === "ERROR") resync();
      },
      (err) => {
        this.aborts.delete(controller);
        if (err && !this.stopped) this.logger.warn({ err, kind, namespace: ns }, "kubernetes watch ended");
        resync();
      },
    );
    this.aborts.add(controller);
  }
}
