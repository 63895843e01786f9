import { describe, expect, it } from "vitest";
import { BuiltinAnalyst } from "./builtin-analyst.js";
import { extractSignals } from "./signals.js";
import { incident } from "./test-helpers.js";

const kinds = (logs: string) => [...extractSignals(incident(logs)).best.keys()];

async function diagnose(logs: string, alertType = "KubePodCrashLooping") {
  const sink = { thinking: () => {}, token: () => {} };
  return new BuiltinAnalyst().analyse(incident(logs, { alertType, containerName: "ledger" }), sink);
}

describe("workloads wired wrongly to the cluster (examples written for these tests)", () => {
  it("RBAC: a service account without the grant its API calls need; the fix creates the Role and binding", async () => {
    const r = await diagnose(
      [
        "2026-01-10T08:00:01Z INFO watching leases",
        '2026-01-10T08:00:02Z FATAL leases.coordination.k8s.io is forbidden: User "system:serviceaccount:billing:ledger-sa" cannot watch resource "leases" in API group "coordination.k8s.io" in the namespace "billing"',
        "  State:          Waiting",
        "    Reason:       CrashLoopBackOff",
      ].join("\n"),
    );
    expect(r.category).toBe("missing_resource");
    expect(r.analysis.root_cause).toMatch(/RBAC permission denied: service account billing\/ledger-sa .* watch leases/);
    expect(r.analysis.action).toBe("NOOP");
    expect(r.fix?.command).toContain("--verb=watch --resource=leases -n billing");
    expect(r.fix?.command).toContain("--serviceaccount=billing:ledger-sa");
  });

  it("a Service whose targetPort is not the port the container listens on, while calls to it are refused", async () => {
    const logs = [
      "Name:              ledger",
      "Selector:          app=ledger",
      "Port:              <unset>  80/TCP",
      "TargetPort:        9000/TCP",
      "Endpoints:         10.1.0.7:9000",
      "    Port:          7070/TCP",
      "ledger listening on port 7070",
      "wget: can't connect to remote host (10.96.0.20): Connection refused",
    ].join("\n");
    const r = await diagnose(logs, "ServiceProbeFailed");
    expect(r.category).toBe("network_failure");
    expect(r.analysis.root_cause).toContain(
      "Service ledger forwards to targetPort 9000, but the container listens on 7070",
    );
    expect(r.fix?.command).toContain('"value":7070');
    // The same wiring with the ports agreeing is not a mismatch.
    expect(kinds(logs.replace("9000/TCP", "7070/TCP"))).not.toContain("port_mismatch");
  });

  it("an autoscaler that cannot read metrics is not one held at its maximum", async () => {
    const logs = [
      "Min replicas:  2",
      "Max replicas:  8",
      "  ScalingActive  False   FailedGetResourceMetric  the HPA was unable to compute the replica count: unable to get metrics for resource memory: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)",
    ].join("\n");
    const r = await diagnose(logs, "KubeHpaReplicasMismatch");
    expect(r.category).toBe("missing_resource");
    expect(r.analysis.root_cause).toMatch(/cannot scale: the resource metrics API \(metrics-server\) is not available/);
    expect(r.fix?.command).toContain("metrics-server");
    expect(kinds(logs)).not.toContain("hpa_maxed");
    expect(
      kinds("  ScalingActive  True  ValidMetricFound  the HPA was able to compute the replica count"),
    ).not.toContain("hpa_no_metrics");
  });

  it("an init container that keeps failing names its own error", async () => {
    const r = await diagnose(
      [
        "Init Containers:",
        "  wait-for-vault:",
        "    State:          Waiting",
        "      Reason:       CrashLoopBackOff",
        "Status:           Pending",
        "NAME        READY   STATUS                  RESTARTS   AGE",
        "ledger-0    0/1     Init:CrashLoopBackOff   7          12m",
        "vault-agent: error authenticating: Error making API request. Code: 403. Errors: permission denied",
      ].join("\n"),
      "KubePodNotReady",
    );
    expect(r.category).toBe("start_failure");
    expect(r.analysis.root_cause).toMatch(/init container wait-for-vault keeps failing.*error authenticating/);
    expect(r.fix?.command).toContain("-c INIT_CONTAINER");
    // Another pod's row in a listing is not this workload's init container.
    expect(
      kinds(
        "NAMESPACE   NAME             READY   STATUS                  RESTARTS   AGE\nmonitoring  log-shipper-x1   0/1     Init:CrashLoopBackOff   25         106m\nshop        ledger-7f-abc    1/1     Running                 0          3d",
      ),
    ).not.toContain("init_failed");
    // Init containers that completed are not a failure.
    expect(
      kinds("Init Containers:\n  setup:\n    State: Terminated\n      Reason: Completed\n      Exit Code: 0"),
    ).not.toContain("init_failed");
  });

  it("TLS: an untrusted issuer or a certificate for another name is a certificate failure, not a dependency outage", async () => {
    const untrusted = await diagnose(
      'ERROR calling https://ledger-db.internal:5433: x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error")\nERROR retry 3/3 failed',
      "HighErrorRate",
    );
    expect(untrusted.category).toBe("cert_expiry");
    expect(untrusted.analysis.root_cause).toMatch(/untrusted TLS certificate/);
    expect(untrusted.analysis.action).toBe("NOOP");
    expect(untrusted.fix?.description).toMatch(/issuing CA/);
    const wrongName = await diagnose(
      "Error: Hostname/IP does not match certificate's altnames: Host: api.ledger.svc. is not in the cert's altnames: DNS:ledger.example.com",
      "HighErrorRate",
    );
    expect(wrongName.category).toBe("cert_expiry");
    expect(wrongName.analysis.root_cause).toMatch(/name mismatch/);
    // An expired certificate stays an expiry.
    expect(kinds("x509: certificate has expired or is not yet valid")).not.toContain("tls_untrusted");
  });
});
