import { describe, expect, it } from "vitest";
import { analyze, tokenize } from "./tokenize.js";

describe("tokenize", () => {
  it("splits CamelCase, acronym runs and letter/digit boundaries", () => {
    expect(tokenize("KubePodCrashLooping")).toEqual(["kube", "pod", "crash", "loop", "kubepodcrashlooping"]);
    expect(tokenize("etcdGRPCRequestsSlow")).toEqual(["etcd", "grpc", "request", "slow", "etcdgrpcrequestsslow"]);
    expect(tokenize("HTTP5xx")).toEqual(["http", "5xx"]);
  });

  it("splits snake_case, kebab-case and dotted names", () => {
    expect(tokenize("node_filesystem_avail_bytes")).toEqual(["node", "filesystem", "avail", "byte"]);
    expect(tokenize("kube-state-metrics")).toEqual(["kube", "state", "metric"]);
    expect(tokenize("checkout.payments.svc")).toEqual(["checkout", "payment", "svc"]);
  });

  it("keeps meaningful codes", () => {
    expect(tokenize("HTTP 504 and 5xx, p99 latency, OOM, x509 on k8s via IPv4")).toEqual([
      "http",
      "504",
      "5xx",
      "p99",
      "latenc",
      "oom",
      "x509",
      "k8s",
      "ipv4",
    ]);
  });

  it("strips noise numbers: timestamps, uuids, IPs, hex ids, percentages, durations", () => {
    const line =
      "2024-05-01T12:03:04.123Z 10.42.3.17:8080 req 123e4567-e89b-12d3-a456-426614174000 sha 3f2a9c1b7d took 94.37ms at 66.67% attempt 3 v1.2.3";
    expect(tokenize(line)).toEqual(["req", "sha", "took", "attempt"]);
  });

  it("drops pod-template hashes but keeps the workload name", () => {
    expect(tokenize("checkout-worker-7d9f8b6c5-x2x9z")).toEqual(["checkout", "worker"]);
  });

  it("removes stopwords but keeps ops-meaningful negations and directions", () => {
    expect(tokenize("the node is not ready and it is down")).toEqual(["node", "not", "readi", "down"]);
    expect(tokenize("kubelet can't reach the API, it doesn't respond")).toEqual([
      "kubelet",
      "not",
      "reach",
      "api",
      "not",
      "respond",
    ]);
  });

  it("normalises joined and CamelCase spellings of known compounds alike", () => {
    expect(tokenize("crashloopbackoff")).toEqual(tokenize("CrashLoopBackOff"));
    expect(tokenize("statefulset")).toEqual(tokenize("StatefulSet"));
    expect(tokenize("OOMKilled")).toEqual(tokenize("oomkilled"));
  });

  it("reports source offsets and boosts whole identifiers", () => {
    const text = "alert KubePodCrashLooping fired";
    const tokens = analyze(text);
    for (const t of tokens) expect(text.slice(t.start, t.end).length).toBeGreaterThan(0);
    const ident = tokens.find((t) => t.term === "kubepodcrashlooping");
    expect(ident && text.slice(ident.start, ident.end)).toBe("KubePodCrashLooping");
    expect(ident?.boost).toBeGreaterThan(1);
    expect(tokens.find((t) => t.term === "pod")?.boost).toBeUndefined();
  });

  it("handles non-ASCII text", () => {
    expect(tokenize("Dienst überlastet: PodNichtBereit")).toEqual([
      "dienst",
      "überlastet",
      "pod",
      "nicht",
      "bereit",
      "podnichtbereit",
    ]);
  });
});
