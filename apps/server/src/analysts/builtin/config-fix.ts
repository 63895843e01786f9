import type { ConfigFix, IncidentCategory } from "../../ports/analyst.js";
import { lastDeployedRevision } from "./blocked-signals.js";
import { cpuLimit, hpaMaxReplicas, memoryLimit } from "./limit-signals.js";
import type { SignalKind } from "./signal.js";
import { type Signals, strength } from "./signals.js";

const has = (s: Signals, k: SignalKind) => strength(s, k) > 0;
/** The strongest of `kinds` present, or null. */
const strongest = (s: Signals, kinds: SignalKind[]) =>
  kinds.reduce<SignalKind | null>((a, k) => (strength(s, k) > (a ? strength(s, a) : 0) ? k : a), null);

/**
 * The change that fixes a diagnosis no runtime action can fix (seed 000 has no "edit the spec" action):
 * named in the analysis and offered as a command for a human, never run automatically.
 */
export function configFix(category: IncidentCategory, s: Signals, target: string): ConfigFix | undefined {
  const t = target.replace(/[^A-Za-z0-9._-]/g, "") || "WORKLOAD";
  const deploy = `deployment/${t}`;
  switch (category) {
    case "start_failure":
      if (
        strongest(s, ["credentials_rejected", "image_pull_failed", "command_not_found", "config_missing"]) ===
        "credentials_rejected"
      )
        return {
          description:
            "Put the current credentials (rotated password, renewed token or key) in the Secret the workload reads, then restart its pods so they load them",
          command: `kubectl create secret generic SECRET_NAME --from-literal=KEY=VALUE --dry-run=client -o yaml | kubectl apply -f - && kubectl rollout restart ${deploy}`,
        };
      if (
        strongest(s, ["volume_attach", "image_pull_failed", "command_not_found", "config_missing"]) === "volume_attach"
      )
        return {
          description:
            "Release the volume from the node that still holds it (the old pod, or a stale VolumeAttachment after a node failure), or use storage that allows several nodes",
          command: "kubectl get volumeattachment | grep PV_NAME && kubectl delete pod OLD_POD --grace-period=0 --force",
        };
      if (strongest(s, ["init_failed", "image_pull_failed", "command_not_found", "config_missing"]) === "init_failed")
        return {
          description:
            "Fix what the init container fails on (its command, the migration it runs, or the service it waits for), then let the pod restart",
          command: `kubectl logs ${deploy} -c INIT_CONTAINER --previous && kubectl edit ${deploy}`,
        };
      if (/another CPU architecture/.test(s.best.get("command_not_found")?.evidence ?? ""))
        return {
          description:
            "Use an image built for the node's architecture (a multi-arch image), or schedule the pods on nodes of the image's architecture",
          command: `kubectl patch ${deploy} -p '{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/arch":"amd64"}}}}}'`,
        };
      if (has(s, "image_pull_failed"))
        return {
          description: "Correct the image name/tag (or the registry credentials) in the pod spec",
          command: `kubectl set image ${deploy} CONTAINER=REGISTRY/IMAGE:EXISTING_TAG`,
        };
      if (has(s, "config_missing"))
        return {
          description: "Set the missing environment variable or create the referenced ConfigMap/Secret",
          command: `kubectl set env ${deploy} NAME=VALUE`,
        };
      return {
        description:
          "Fix the container command/args (typo, missing binary, shell syntax or file permissions) in the spec",
        command: `kubectl edit ${deploy}`,
      };
    case "resource_limit": {
      const osLimit = strongest(s, [
        "fd_exhausted",
        "threads_exhausted",
        "pool_saturated",
        "cpu_throttled",
        "memory_limit_low",
        "hpa_maxed",
      ]);
      if (osLimit === "fd_exhausted")
        return {
          description:
            "Find what holds the descriptors (a leak: sockets or files never closed) and fix it, or raise the open-files limit (LimitNOFILE / ulimit -n) if the load needs them",
          command: `kubectl exec ${deploy} -- sh -c 'ls /proc/1/fd | wc -l; cat /proc/1/limits | grep "open files"'`,
        };
      if (osLimit === "threads_exhausted")
        return {
          description:
            "Bound the process's thread/pool sizes (a thread leak keeps them growing), or raise the pod's PID limit (kubelet podPidsLimit) if the load needs them",
          command: `kubectl exec ${deploy} -- sh -c 'ls /proc/1/task | wc -l; cat /sys/fs/cgroup/pids.max'`,
        };
      if (osLimit === "pool_saturated")
        return {
          description:
            "Find the slow call that holds the pool's threads (a thread dump shows where they wait) and bound it with a timeout, then size the pool and its queue for the load, or add replicas",
          command: `kubectl exec ${deploy} -- sh -c 'jcmd 1 Thread.print 2>/dev/null | head -200 || kill -3 1'`,
        };
      if (strength(s, "hpa_maxed") > Math.max(strength(s, "cpu_throttled"), strength(s, "memory_limit_low"))) {
        const max = hpaMaxReplicas(s.view);
        return {
          description: `Raise the HorizontalPodAutoscaler's maxReplicas${max ? ` above ${max}` : ""} (check the nodes have room), or make each replica handle more`,
          command: `kubectl patch hpa ${t} -p '{"spec":{"maxReplicas":${max ? max * 2 : "NEW_MAX"}}}'`,
        };
      }
      if (strength(s, "memory_limit_low") > strength(s, "cpu_throttled")) {
        const limit = memoryLimit(s.view);
        return {
          description: `Raise the memory limit${limit ? ` above ${limit}` : ""} to what the workload needs at start (check its working set), or lower its memory use`,
          command: `kubectl set resources ${deploy} --limits=memory=${limit ? doubled(limit) : "NEW_LIMIT"}`,
        };
      }
      const limit = cpuLimit(s.view);
      return {
        description: `Raise the CPU limit${limit ? ` above ${limit}` : ""} (or remove it) so the container is not throttled`,
        command: `kubectl patch ${deploy} --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/cpu","value":"1"}]'`,
      };
    }
    case "scheduling_failure":
      if (has(s, "quota_exceeded") && !has(s, "unschedulable") && !has(s, "pvc_unbound"))
        return {
          description: "Raise the namespace's ResourceQuota, or lower the pods' requests/limits so they fit in it",
          command: "kubectl describe resourcequota -n NAMESPACE && kubectl edit resourcequota QUOTA_NAME -n NAMESPACE",
        };
      return has(s, "pvc_unbound")
        ? {
            description: "Point the PersistentVolumeClaim at an existing StorageClass (or create the one it names)",
            command: "kubectl get storageclass && kubectl edit pvc PVC_NAME",
          }
        : {
            description:
              "Lower the pod's requests, fix its node selector/affinity or tolerations, or add node capacity",
            command: `kubectl patch ${deploy} --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/resources/requests/memory","value":"256Mi"}]'`,
          };
    case "node_pressure":
      if (/clock is not synchronised/.test(s.best.get("node_not_ready")?.evidence ?? "") && !has(s, "node_pressure"))
        return {
          description:
            "Enable time synchronisation on the node (chrony or systemd-timesyncd) and check it reaches its NTP servers",
          command: "timedatectl set-ntp true && chronyc tracking",
        };
      if (has(s, "node_not_ready") && !has(s, "node_pressure") && !has(s, "pod_capacity_full"))
        return {
          description:
            "Bring the node back (its kubelet, container runtime or network plugin), or drain it so its pods move",
          command: "kubectl describe node NODE && kubectl drain NODE --ignore-daemonsets --delete-emptydir-data",
        };
      return has(s, "pod_capacity_full")
        ? {
            description:
              "Spread pods to other nodes or raise the node's max pods (larger instance type or kubelet maxPods)",
            command: "kubectl describe node NODE && kubectl cordon NODE",
          }
        : {
            description:
              "Free the node's resource (images, logs, emptyDir) or set requests/limits so eviction picks the right pods",
            command: "kubectl describe node NODE",
          };
    case "network_failure":
      if (strongest(s, ["port_mismatch", "egress_blocked", "dns_failure", "cluster_partition"]) === "port_mismatch") {
        const m = /forwards to targetPort (\d+), but the container listens on (\d+)/.exec(
          s.best.get("port_mismatch")?.evidence ?? "",
        );
        return {
          description: `Point the Service's targetPort at the port the container listens on${m ? ` (${m[2]}, not ${m[1]})` : ""}, or make the container listen on the targetPort`,
          command: `kubectl patch service SERVICE_NAME --type=json -p '[{"op":"replace","path":"/spec/ports/0/targetPort","value":${m?.[2] ?? "CONTAINER_PORT"}}]'`,
        };
      }
      if (has(s, "cluster_partition") && !has(s, "egress_blocked") && !has(s, "dns_failure"))
        return {
          description:
            "Restore connectivity between the cluster's members (nodes, CNI, firewall), then heal the partition as the datastore's runbook says",
          command: "kubectl get nodes -o wide && kubectl get pods -o wide",
        };
      return has(s, "egress_blocked")
        ? {
            description: "Allow the workload's egress (DNS on port 53 and its dependencies) in the NetworkPolicy",
            command: "kubectl get networkpolicy -o yaml && kubectl edit networkpolicy POLICY_NAME",
          }
        : {
            description: "Correct the host name the workload calls, or fix cluster DNS for it",
            command: `kubectl set env ${deploy} TARGET_HOST=CORRECT_HOST`,
          };
    case "missing_resource": {
      const lead = strongest(s, ["missing_resource", "no_endpoints", "rbac_denied", "hpa_no_metrics"]);
      if (lead === "rbac_denied") {
        const m = /service account ([\w.-]+)\/([\w.-]+) is not allowed to ([\w-]+) ([\w.-]+)/.exec(
          s.best.get("rbac_denied")?.evidence ?? "",
        );
        const [ns, sa, verb, res] = m ? [m[1], m[2], m[3], m[4]] : ["NAMESPACE", "SERVICE_ACCOUNT", "VERB", "RESOURCE"];
        return {
          description: `Grant the workload's service account the permission it needs (a Role allowing ${verb} on ${res}, bound to ${ns}/${sa}), or run it under an account that has it`,
          command: `kubectl create role ${sa}-${res} --verb=${verb} --resource=${res} -n ${ns} && kubectl create rolebinding ${sa}-${res} --role=${sa}-${res} --serviceaccount=${ns}:${sa} -n ${ns}`,
        };
      }
      if (lead === "hpa_no_metrics")
        return /request/.test(s.best.get("hpa_no_metrics")?.evidence ?? "")
          ? {
              description: "Set CPU/memory requests on the pods so the autoscaler can compute utilisation",
              command: `kubectl set resources ${deploy} --requests=cpu=100m,memory=128Mi`,
            }
          : {
              description: "Install (or repair) metrics-server so the resource metrics API serves pod metrics",
              command:
                "kubectl get apiservice v1beta1.metrics.k8s.io && kubectl -n kube-system get deploy metrics-server",
            };
      if (has(s, "no_endpoints") && !has(s, "missing_resource"))
        return {
          description: "Make the Service's selector match the pods' labels (or get its pods Ready)",
          command: "kubectl get pods --show-labels && kubectl edit service SERVICE_NAME",
        };
      return {
        description:
          "Create the missing resource (or install its CRD/operator), or correct the name that references it",
        command: "kubectl get namespaces && kubectl api-resources",
      };
    }
    case "cert_expiry":
      return has(s, "tls_untrusted") && !has(s, "cert_expired")
        ? {
            description:
              "Give the client the issuing CA (its trust bundle), or serve a certificate issued for the name it calls",
            command: "openssl s_client -connect HOST:PORT -showcerts </dev/null && kubectl edit configmap CA_BUNDLE",
          }
        : undefined;
    case "app_error":
      return {
        description:
          "Fix the code path that throws (the exception above), or roll back to a revision that does not have it",
        command: `kubectl rollout history ${deploy} && kubectl rollout undo ${deploy} --to-revision=REVISION`,
      };
    case "job_failure":
      return {
        description: "Fix what the Job's pods fail on (the error above), then run the Job again",
        command: `kubectl logs job/${t} && kubectl get job ${t} -o yaml > job.yaml && kubectl delete job ${t} && kubectl apply -f job.yaml`,
      };
    case "operation_blocked":
      return blockedFix(s);
    case "probe_failure":
      return {
        description: "Fix the probe's path/port or give it a longer initialDelaySeconds/timeoutSeconds",
        command: `kubectl edit ${deploy}`,
      };
    default:
      return undefined;
  }
}

/** How to release what holds a blocked cluster operation (the strongest hold). */
function blockedFix(s: Signals): ConfigFix {
  const hold = strongest(s, ["release_locked", "pdb_blocking", "finalizers_stuck", "cron_missed"]);
  if (hold === "release_locked") {
    const release = /Helm release ([\w.-]+)/.exec(s.best.get("release_locked")?.evidence ?? "")?.[1] ?? "RELEASE";
    const revision = lastDeployedRevision(s.view.text) ?? "LAST_DEPLOYED_REVISION";
    return {
      description: `Release the lock the interrupted Helm operation left: roll ${release} back to its last deployed revision (or delete the pending release secret), then upgrade again`,
      command: `helm history ${release} && helm rollback ${release} ${revision}`,
    };
  }
  if (hold === "pdb_blocking")
    return {
      description:
        "Let one pod go: scale the workload above the PodDisruptionBudget's minAvailable (or relax minAvailable / maxUnavailable), then retry the drain or rollout",
      command: "kubectl get pdb -A && kubectl scale deployment/WORKLOAD --replicas=N_PLUS_ONE",
    };
  if (hold === "finalizers_stuck")
    return {
      description:
        "Resolve what the finalizer waits for (its controller, the resources still in the namespace); only then, if it is orphaned, remove the finalizer",
      command:
        'kubectl api-resources --verbs=list --namespaced -o name | xargs -n1 kubectl get -n NAMESPACE --ignore-not-found && kubectl patch RESOURCE NAME -n NAMESPACE --type=merge -p \'{"metadata":{"finalizers":null}}\'',
    };
  return {
    description:
      "Make the CronJob start again: unsuspend it, set a startingDeadlineSeconds long enough for missed runs, and check the controller is running",
    command:
      'kubectl get cronjob CRONJOB -o yaml | grep -E \'suspend|startingDeadlineSeconds|lastScheduleTime\' && kubectl patch cronjob CRONJOB -p \'{"spec":{"suspend":false,"startingDeadlineSeconds":600}}\'',
  };
}

/** Twice a Kubernetes quantity, in its own unit ("96Mi" -> "192Mi"): a starting point for the human to adjust. */
function doubled(quantity: string): string {
  const m = /^([\d.]+)(\D*)$/.exec(quantity);
  return m ? `${Number(m[1]) * 2}${m[2]}` : quantity;
}
