import { describe, expect, it } from "vitest";
import { BuiltinAnalyst } from "./builtin-analyst.js";
import { extractSignals } from "./signals.js";
import { incident } from "./test-helpers.js";

const kinds = (logs: string, alertType = "alert") => [...extractSignals(incident(logs, { alertType })).best.keys()];

async function diagnose(logs: string, alertType = "KubePodNotReady") {
  const sink = { thinking: () => {}, token: () => {} };
  return new BuiltinAnalyst().analyse(incident(logs, { alertType, containerName: "billing-api" }), sink);
}

describe("Kubernetes/infrastructure recognisers (examples written for these tests)", () => {
  it("scheduling: insufficient memory on every node", async () => {
    const r = await diagnose(
      "  Warning  FailedScheduling  30s  default-scheduler  0/5 nodes are available: 5 Insufficient memory. preemption: 0/5 nodes are available",
    );
    expect(r.category).toBe("scheduling_failure");
    expect(r.analysis.root_cause).toMatch(/insufficient memory/i);
    expect(r.analysis.action).toBe("NOOP");
  });

  it("scheduling: a claim whose StorageClass does not exist", async () => {
    const r = await diagnose(
      '  Warning  ProvisioningFailed  1m (x9 over 5m)  persistentvolume-controller  storageclass.storage.k8s.io "fast-ssd" not found',
    );
    expect(r.category).toBe("scheduling_failure");
    expect(r.analysis.root_cause).toContain('StorageClass "fast-ssd"');
  });

  it("start failure: a command missing from the image, with a spec fix for a human", async () => {
    const r = await diagnose(
      '      Message:      exec: "pythn": executable file not found in $PATH: unknown\n      Exit Code:    128',
    );
    expect(r.category).toBe("start_failure");
    expect(r.analysis.root_cause).toContain('"pythn"');
    expect(r.fix?.command).toMatch(/^kubectl edit/);
    expect(r.supportedActions).toEqual([]);
  });

  it("start failure: an image tag that cannot be pulled names kubectl set image", async () => {
    const r = await diagnose(
      '  Warning  Failed  12s  kubelet  Failed to pull image "registry.example.com/shop/cart:v9.9": manifest unknown',
    );
    expect(r.category).toBe("start_failure");
    expect(r.fix?.command).toMatch(/kubectl set image/);
  });

  it("start failure: a shell syntax error and an undefined env var are recognised", () => {
    expect(kinds("/bin/sh: 1: Syntax error: Unterminated quoted string")).toContain("shell_syntax");
    expect(kinds("FATAL: environment variable PAYMENTS_URL is not set")).toContain("config_missing");
    expect(kinds("sh: line 1: jq: command not found")).toContain("command_not_found");
  });

  it("CPU throttling at a low limit is a limit to raise, not a runaway to restart", async () => {
    const r = await diagnose(
      "    Limits:\n      cpu:     50m\nthrottled 97% of CPU periods for container api",
      "CPUThrottlingHigh",
    );
    expect(r.category).toBe("resource_limit");
    expect(r.analysis.action).toBe("NOOP");
    expect(r.fix?.command).toMatch(/kubectl patch .*resources\/limits\/cpu/);
  });

  it("node pressure: respects False condition values and word boundaries", () => {
    const k = kinds(
      "  DiskPressure     False   KubeletHasNoDiskPressure   kubelet has no disk pressure\n  MemoryPressure   True    KubeletHasInsufficientMemory",
    );
    expect(k).toContain("node_pressure");
    expect(k).not.toContain("disk_full");
    expect(kinds("all fine", "Pod restarted in namespace payments near its limit")).not.toContain("disk_full");
  });

  it("node at its max pods", async () => {
    const r = await diagnose(
      "Capacity:\n  cpu:   4\n  pods:  29\nNon-terminated Pods:          (29 in total)",
      "KubeletTooManyPods",
    );
    expect(r.category).toBe("node_pressure");
    expect(r.analysis.root_cause).toMatch(/too many pods/);
  });

  it("DNS failure behind a deny-egress NetworkPolicy", async () => {
    const r = await diagnose(
      "└── NetworkPolicy/block-all-egress   -   3h\nrequests.exceptions.ConnectionError: Failed to resolve 'orders.shop.svc' ([Errno -3] Temporary failure in name resolution)",
    );
    expect(r.category).toBe("network_failure");
    expect(r.analysis.root_cause).toMatch(/NetworkPolicy block-all-egress/);
  });

  it("a registry lookup failing is an image pull problem, not DNS", () => {
    const k = kinds(
      'Warning Failed kubelet Failed to pull image "nope.invalid/x:1": dial tcp: lookup nope.invalid: no such host',
    );
    expect(k).toContain("image_pull_failed");
    expect(k).not.toContain("dns_failure");
  });

  it("cluster partition from structured status", () => {
    expect(kinds('{"nodes": 5, "network_partitions_detected": true}')).toContain("cluster_partition");
    expect(kinds('{"network_partitions_detected": false}')).not.toContain("cluster_partition");
  });

  it("missing resource type and a misspelt namespace", async () => {
    expect(kinds('error: the server doesn\'t have a resource type "kafkatopics"')).toContain("missing_resource");
    const r = await diagnose('namespace: shop-prod\nfailed to apply: namespaces "shop-prdo" not found');
    expect(r.category).toBe("missing_resource");
    expect(r.analysis.root_cause).toContain('"shop-prod"');
  });

  it("slow dependency from timing lines and trace spans", () => {
    const timing = Array.from({ length: 4 }, (_, i) => `INFO db query took ${2 + i}.5 s`).join("\n");
    expect(kinds(timing)).toContain("db_slow");
    const spans = Array.from(
      { length: 3 },
      (_, i) => `{"name": "GET inventory-svc/items", "duration_ms": ${1500 + i * 100}}`,
    ).join("\n");
    expect(kinds(spans)).toContain("upstream_slow");
  });

  it("a failing liveness probe with nothing else", async () => {
    const r = await diagnose(
      "  Warning  Unhealthy  10s (x6 over 1m)  kubelet  Liveness probe failed: HTTP probe failed with statuscode: 500",
    );
    expect(r.category).toBe("probe_failure");
  });

  it("healthy workloads and Watchdog heartbeats are the expected state", async () => {
    const ready = "Status: Running\n  Ready   True\n  ContainersReady   True\n    Restart Count:  0";
    expect((await diagnose(ready)).category).toBe("healthy");
    expect((await diagnose("heartbeat", "Watchdog")).analysis.root_cause).toMatch(/^Healthy/);
  });

  it("evidence-tool errors and unrelated pods in a wide listing are not causes", () => {
    const noise = [
      "[tool error] Command `kubectl get pods -A` failed with return code 1",
      "The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?",
      "prometheus query failed: dial tcp: lookup prometheus-server.monitoring: no such host",
    ].join("\n");
    const k = kinds(noise);
    expect(k).not.toContain("dep_unreachable");
    expect(k).not.toContain("dns_failure");
    const listing = Array.from({ length: 8 }, (_, i) => `other-app-${i}   0/1   ImagePullBackOff   0   3d`).join("\n");
    expect(kinds(listing)).not.toContain("image_pull_failed");
  });

  it("a Job at its backoff limit names what its pods fail on", async () => {
    const r = await diagnose(
      "Warning  BackoffLimitExceeded  2m  job-controller  Job has reached the specified backoff limit\nTraceback (most recent call last):\nFileNotFoundError: [Errno 2] No such file or directory: '/data/export.csv'",
      "KubeJobFailed",
    );
    expect(r.category).toBe("job_failure");
    expect(r.analysis.root_cause).toContain("export.csv");
    expect(r.analysis.action).toBe("NOOP");
    expect(r.fix?.command).toMatch(/kubectl logs job\//);
  });

  it("a Job whose pods cannot resolve their dependency is a network failure first", async () => {
    const r = await diagnose(
      "Job has reached the specified backoff limit\ncurl: (6) Could not resolve host: billing.internal",
      "KubeJobFailed",
    );
    expect(r.category).toBe("network_failure");
  });

  it("a NotReady node is a node problem; a pod's own Ready False row is not", async () => {
    const node = await diagnose(
      "Conditions:\n  Ready   False   Tue, 03 Nov 2026 10:00:00 +0000   KubeletNotReady   PLEG is not healthy: pleg was last seen active 3m0s ago",
      "KubeNodeNotReady",
    );
    expect(node.category).toBe("node_pressure");
    expect(node.analysis.root_cause).toMatch(/NotReady/);
    expect(
      kinds("Conditions:\n  Type              Status\n  Ready             False\n  ContainersReady   False"),
    ).not.toContain("node_not_ready");
    expect(kinds("NAME     STATUS     ROLES    AGE   VERSION\nwork-3   NotReady   <none>   40d   v1.30.2")).toContain(
      "node_not_ready",
    );
  });

  it("an autoscaler held at its ceiling: raise maxReplicas, do not restart busy pods", async () => {
    const r = await diagnose(
      "horizontalpodautoscaler/search-api reached its maximum replicas: maxReplicas: 6, current CPU 230% of target 60%",
      "KubeHpaMaxedOut",
    );
    expect(r.category).toBe("resource_limit");
    expect(r.analysis.action).toBe("NOOP");
    expect(r.fix?.command).toContain('"maxReplicas":12');
  });

  it("a namespace quota refusing new pods is a placement failure with the quota named", async () => {
    const r = await diagnose(
      'Warning  FailedCreate  3m  replicaset-controller  Error creating: pods "web-6d4cf56db6-" is forbidden: exceeded quota: compute-small, requested: requests.cpu=500m, used: requests.cpu=4, limited: requests.cpu=4',
      "KubeDeploymentReplicasMismatch",
    );
    expect(r.category).toBe("scheduling_failure");
    expect(r.analysis.root_cause).toContain('"compute-small"');
    expect(r.fix?.command).toMatch(/resourcequota/);
  });

  it("a metrics backend the investigation could not reach is not the incident's cause", () => {
    for (const noise of [
      "Failed to query Prometheus: HTTPConnectionPool(host='prom.monitoring', port=9090): Max retries exceeded (Caused by NameResolutionError)",
      "error querying loki: dial tcp: lookup loki-gateway on 10.96.0.10:53: no such host",
    ])
      expect(kinds(noise)).not.toContain("dns_failure");
    expect(kinds("wget: bad address 'orders-db'")).toContain("dns_failure");
    // Error codes are words: a FileNotFoundError is not ENOTFOUND.
    expect(kinds("FileNotFoundError: [Errno 2] No such file or directory: '/x'")).not.toContain("dep_unreachable");
  });

  it("an exception with no change on record is an application error, escalated with the exception named", async () => {
    const logs =
      'ERROR Unhandled exception in worker\nTraceback (most recent call last):\n  File "/app/calc.py", line 9, in rate\nZeroDivisionError: division by zero\nBack-off restarting failed container worker';
    const r = await diagnose(logs, "KubePodCrashLooping");
    expect(r.category).toBe("app_error");
    expect(r.analysis.action).toBe("NOOP");
    expect(r.analysis.root_cause).toContain("ZeroDivisionError");
    expect(r.fix?.command).toMatch(/rollout undo/);
  });

  it("the same exception right after a deploy stays a bad deploy", async () => {
    const logs =
      "2026-11-03T10:00:00Z deployment billing-api rolled out v4.2.0 (previous v4.1.3)\n2026-11-03T10:01:10Z ERROR ZeroDivisionError: division by zero\n2026-11-03T10:01:12Z ERROR ZeroDivisionError: division by zero";
    const r = await diagnose(logs, "HighErrorRate");
    expect(r.category).toBe("bad_deploy");
  });

  it("a referenced object that does not exist, and a Service that selects no pods", async () => {
    const ingress = await diagnose(
      'Warning  SyncFailed  ingress-controller  ingressclass "public-lb" not found',
      "IngressDown",
    );
    expect(ingress.category).toBe("missing_resource");
    expect(ingress.analysis.root_cause).toContain('"public-lb"');
    const svc = await diagnose(
      "kubectl get endpoints payments\nNAME       ENDPOINTS   AGE\npayments   <none>      2d",
      "TargetDown",
    );
    expect(svc.category).toBe("missing_resource");
    expect(svc.fix?.command).toMatch(/edit service/);
    // An empty pod selector in another listing is not an empty Service.
    expect(kinds("NAME           POD-SELECTOR   AGE\ndeny-ingress   <none>         5d")).not.toContain("no_endpoints");
  });

  it("members that cannot reach each other are a partition", () => {
    expect(kinds("Node rabbit@mq-1 cannot communicate with rabbit@mq-0")).toContain("cluster_partition");
    expect(kinds('{"network_partitions_detected": false}')).not.toContain("cluster_partition");
  });

  it("a pod-creation refusal for a missing object is history once pods of the workload started", async () => {
    const refused =
      'Warning  FailedCreate  8m (x4 over 8m)  job-controller  Error creating: pods "sync-" is forbidden: error looking up service account ops/sync-sa: serviceaccount "sync-sa" not found';
    const blocked = await diagnose(refused, "KubeJobFailed");
    expect(blocked.category).toBe("missing_resource");
    const later = await diagnose(
      `${refused}\nNormal  Scheduled  2m  default-scheduler  Successfully assigned ops/sync-x7k to node-2\ncurl: (6) Could not resolve host: feeds.example.invalid`,
      "KubeJobFailed",
    );
    expect(later.category).toBe("network_failure");
  });
});

describe("more failure modes (examples written for these tests)", () => {
  it("a binary built for another CPU architecture is not a missing command", async () => {
    const r = await diagnose(
      "standard_init_linux.go:228: exec user process caused: exec format error\n  Last State: Terminated\n    Exit Code: 1",
      "KubePodCrashLooping",
    );
    expect(r.category).toBe("start_failure");
    expect(r.analysis.root_cause).toMatch(/another CPU architecture/);
    expect(r.fix?.command).toContain("kubernetes.io/arch");
  });

  it("a key missing from a ConfigMap names the key and the ConfigMap", async () => {
    const r = await diagnose(
      "      Reason:       CreateContainerConfigError\n  Warning  Failed  5s (x3 over 40s)  kubelet  Error: couldn't find key SMTP_PASSWORD in Secret mail/relay-creds",
    );
    expect(r.category).toBe("start_failure");
    expect(r.analysis.root_cause).toContain("key SMTP_PASSWORD is missing from Secret mail/relay-creds");
  });

  it("a ReadWriteOnce volume still attached to another node keeps the pod from starting", async () => {
    const r = await diagnose(
      '  Warning  FailedAttachVolume  2m (x9 over 20m)  attachdetach-controller  Multi-Attach error for volume "pvc-91ab" Volume is already exclusively attached to one node and can\'t be attached to another',
    );
    expect(r.category).toBe("start_failure");
    expect(r.analysis.root_cause).toMatch(/volume pvc-91ab is still attached to another node/);
    expect(r.fix?.command).toContain("volumeattachment");
  });

  it("a datastore full of data refuses writes: the caller is a victim, not the cause", async () => {
    const r = await diagnose(
      "ERROR session write failed: OOM command not allowed when used memory > 'maxmemory'.\nERROR session write failed: OOM command not allowed when used memory > 'maxmemory'.",
      "HighErrorRate",
    );
    expect(r.category).toBe("dependency_outage");
    expect(r.analysis.root_cause).toMatch(/maxmemory/);
    expect(r.analysis.action).toBe("NOOP");
  });

  it("CoreDNS stopping on a forwarding loop is a cluster DNS failure", async () => {
    const r = await diagnose(
      '[FATAL] plugin/loop: Loop (127.0.0.1:41234 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting.\n    Reason:       CrashLoopBackOff',
      "CoreDNSDown",
    );
    expect(r.category).toBe("network_failure");
    expect(r.analysis.root_cause).toMatch(/cluster DNS is down/);
    expect(kinds("[INFO] plugin/reload: Running configuration SHA512 = 1b2c")).not.toContain("dns_failure");
  });
});

describe("operating-system limits, credentials and quotas (examples written for these tests)", () => {
  it("running out of file descriptors is a limit (or a descriptor leak), named with a fix", async () => {
    const r = await diagnose(
      "2026-02-01T09:00:00Z ERROR http: Accept error: accept tcp 0.0.0.0:9000: accept4: too many open files; retrying in 5ms",
      "HighErrorRate",
    );
    expect(r.category).toBe("resource_limit");
    expect(r.analysis.root_cause).toMatch(/ran out of file descriptors/);
    expect(r.fix?.command).toContain("open files");
  });

  it("a JVM that cannot create native threads is at its thread limit, not out of heap", async () => {
    const r = await diagnose(
      'Exception in thread "pool-3-thread-1" java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached',
      "KubePodCrashLooping",
    );
    expect(r.category).toBe("resource_limit");
    expect(r.analysis.root_cause).toMatch(/cannot create more threads/);
    expect(kinds("java.lang.OutOfMemoryError: unable to create native thread")).not.toContain("oom_fatal");
    expect(kinds("java.lang.OutOfMemoryError: Java heap space")).toContain("oom_fatal");
  });

  it("rejected or expired credentials: the Secret needs the current ones", async () => {
    const db = await diagnose(
      'psql: error: connection to server at "10.0.0.9", port 5432 failed: FATAL:  password authentication failed for user "reporting"',
      "KubePodCrashLooping",
    );
    expect(db.category).toBe("start_failure");
    expect(db.analysis.root_cause).toMatch(/credentials rejected, the login for "reporting" is refused/);
    expect(db.fix?.command).toContain("kubectl create secret generic");
    const cloud = await diagnose(
      "An error occurred (ExpiredToken) when calling the GetObject operation: The provided token has expired.",
      "KubeJobFailed",
    );
    expect(cloud.analysis.root_cause).toMatch(/credentials expired, the dependency refuses/);
  });

  it("an upstream API answering 429 makes the service a victim of its quota", async () => {
    const r = await diagnose(
      "WARN POST https://maps.example.net/v2/geocode returned 429 Too Many Requests; retry after 30s\nWARN POST https://maps.example.net/v2/geocode returned 429 Too Many Requests; retry after 30s",
      "HighErrorRate",
    );
    expect(r.category).toBe("dependency_outage");
    expect(r.analysis.root_cause).toMatch(/rate-limits the service/);
    expect(r.analysis.action).toBe("NOOP");
  });
});

describe("control-plane and node time (examples written for these tests)", () => {
  it("a node whose clock is not synchronised, with an NTP fix", async () => {
    const r = await diagnose(
      "System clock synchronized: no\n              NTP service: inactive\nERROR jwt rejected: token used before issued",
      "NodeClockNotSynchronising",
    );
    expect(r.category).toBe("node_pressure");
    expect(r.analysis.root_cause).toMatch(/clock is not synchronised/);
    expect(r.fix?.command).toContain("set-ntp true");
    expect(kinds("System clock synchronized: yes\nNTP service: active")).not.toContain("node_not_ready");
  });

  it("etcd out of quota refuses every write: a full datastore of the control plane", async () => {
    const r = await diagnose("Error from server: etcdserver: mvcc: database space exceeded", "KubeAPIErrorsHigh");
    expect(r.category).toBe("disk_full");
    expect(r.analysis.root_cause).toMatch(/etcd's database quota is exhausted/);
  });

  it("an API server that throttles its clients makes them victims", async () => {
    const r = await diagnose(
      "E0101 10:00:00 1 reflector.go:138] failed to list pods: the server has received too many requests and has asked us to try again later (get pods)",
      "KubeAPIErrorBudgetBurn",
    );
    expect(r.category).toBe("dependency_outage");
    expect(r.analysis.action).toBe("NOOP");
  });
});
