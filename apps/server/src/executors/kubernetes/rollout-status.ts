import type { V1Deployment, V1Pod, V1StatefulSet } from "@kubernetes/client-node";

export interface RolloutStatus {
  /** The rollout finished and every wanted replica is available. */
  done: boolean;
  /** The rollout can no longer finish on its own (ProgressDeadlineExceeded). */
  failed: boolean;
  detail: string;
}

/**
 * `kubectl rollout status` for a Deployment: the controller has seen the latest spec (observedGeneration),
 * every replica runs the new template (updatedReplicas), no old one is left (replicas) and all are
 * available; Progressing=False with ProgressDeadlineExceeded means it failed.
 */
export function deploymentRollout(d: V1Deployment): RolloutStatus {
  const name = d.metadata?.name ?? "?";
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const progressing = s.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return {
      done: false,
      failed: true,
      detail: `deployment "${name}" exceeded its progress deadline: ${progressing.message ?? ""}`.trim(),
    };
  }
  if ((s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
    return { done: false, failed: false, detail: `waiting for deployment "${name}" spec update to be observed` };
  }
  const updated = s.updatedReplicas ?? 0;
  if (updated < want) {
    return {
      done: false,
      failed: false,
      detail: `deployment "${name}": ${updated} of ${want} updated replicas are available`,
    };
  }
  if ((s.replicas ?? 0) > updated) {
    return {
      done: false,
      failed: false,
      detail: `deployment "${name}": ${(s.replicas ?? 0) - updated} old replicas are pending termination`,
    };
  }
  const available = s.availableReplicas ?? 0;
  if (available < updated) {
    return {
      done: false,
      failed: false,
      detail: `deployment "${name}": ${available} of ${updated} updated replicas are available`,
    };
  }
  return {
    done: true,
    failed: false,
    detail: `deployment "${name}" successfully rolled out (${available}/${want} available)`,
  };
}

/** The same for a StatefulSet (RollingUpdate): observed, all replicas on the update revision and ready. */
export function statefulSetRollout(s: V1StatefulSet): RolloutStatus {
  const name = s.metadata?.name ?? "?";
  const want = s.spec?.replicas ?? 1;
  const st = s.status ?? { replicas: 0 };
  if ((st.observedGeneration ?? 0) < (s.metadata?.generation ?? 0)) {
    return { done: false, failed: false, detail: `waiting for statefulset "${name}" spec update to be observed` };
  }
  const ready = st.readyReplicas ?? 0;
  if (ready < want)
    return { done: false, failed: false, detail: `statefulset "${name}": ${ready} of ${want} pods are ready` };
  if ((st.updatedReplicas ?? 0) < want || st.currentRevision !== st.updateRevision) {
    return {
      done: false,
      failed: false,
      detail: `statefulset "${name}": ${st.updatedReplicas ?? 0} of ${want} pods updated`,
    };
  }
  return { done: true, failed: false, detail: `statefulset "${name}" rolled out (${ready}/${want} ready)` };
}

/** Pods not Ready, each with its first waiting reason ("checkout-7d9-x: CrashLoopBackOff"). */
export function unreadyPods(pods: readonly V1Pod[]): string[] {
  return pods
    .filter((p) => !p.metadata?.deletionTimestamp)
    .filter((p) => !(p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"))
    .map((p) => {
      const waiting = (p.status?.containerStatuses ?? []).find((c) => c.state?.waiting)?.state?.waiting?.reason;
      return `${p.metadata?.name ?? "?"}: ${waiting ?? p.status?.phase ?? "not ready"}`;
    });
}
