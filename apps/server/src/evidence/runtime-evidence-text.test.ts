import { describe, expect, it } from "vitest";
import type { AnalysisInput } from "../ports/analyst.js";
import type { RuntimeEvidence } from "../ports/runtime-evidence.js";
import { runtimeEvidenceOf } from "../ports/runtime-evidence.js";
import { RUNTIME_EVIDENCE_MAX_CHARS, runtimeEvidenceText, withRuntimeEvidence } from "./runtime-evidence-text.js";

const evidence = (over: Partial<RuntimeEvidence> = {}): RuntimeEvidence => ({
  subject: "Deployment shop/checkout",
  describe: "Name: checkout-1\n    Last State:  Terminated\n      Reason:  OOMKilled",
  events: "Events:\n  Warning  BackOff  2m (x5 over 4m)  kubelet  Back-off restarting failed container",
  logs: "ok\n",
  previousLogs: "",
  nodeConditions: "Node node-1 conditions:\n  MemoryPressure False",
  labels: { app: "checkout" },
  humanOnly: null,
  ...over,
});

const input = (): AnalysisInput => ({
  incidentId: "i",
  alertType: "KubePodNotReady",
  logs: "pod not ready",
  containerName: "checkout",
  severity: null,
  context: { labels: { team: "shop", app: "declared" } },
  similar: [],
  maxReplicas: 5,
});

describe("runtime evidence in the analyst's input", () => {
  it("appends headed sections after the alert's logs, skipping empty ones", () => {
    const i = input();
    withRuntimeEvidence(i, evidence());
    expect(i.logs.startsWith("pod not ready\n\n=== runtime evidence: Deployment shop/checkout ===")).toBe(true);
    expect(i.logs).toContain("--- describe ---\nName: checkout-1");
    expect(i.logs).toContain("--- events ---");
    expect(i.logs).not.toContain("--- previous container logs ---");
  });

  it("labels from the runtime join the context (the alert's own win); humanOnly marks it protected", () => {
    const plain = input();
    withRuntimeEvidence(plain, evidence());
    expect(plain.context).toEqual({ labels: { app: "declared", team: "shop" } });
    const sts = input();
    withRuntimeEvidence(sts, evidence({ humanOnly: "ledger is a StatefulSet" }));
    expect(sts.context?.protected).toBe(true);
  });

  it("stays within its bound however long the logs are, keeping their freshest end", () => {
    const long = evidence({ previousLogs: `${"x".repeat(50_000)}\nlast line before the kill` });
    const text = runtimeEvidenceText(long);
    expect(text.length).toBeLessThanOrEqual(RUNTIME_EVIDENCE_MAX_CHARS + 200);
    expect(text).toContain("last line before the kill");
  });

  it("a long describe keeps the termination reason from its middle (no blind cut)", () => {
    // 300 distinct lines (no repeats for the condenser to collapse) on each side of the reason.
    const letter = (n: number) => String.fromCharCode(97 + (n % 26));
    const filler = (tag: string) =>
      Array.from({ length: 300 }, (_, i) => `  ${tag}/${letter(i)}${letter(i / 26)}: value`).join("\n");
    const describe = `Name: checkout-1\n${filler("annotation")}\n    Last State:  Terminated\n      Reason:  OOMKilled\n      Exit Code:  137\n${filler("label")}`;
    const text = runtimeEvidenceText(evidence({ describe }));
    expect(text.length).toBeLessThanOrEqual(RUNTIME_EVIDENCE_MAX_CHARS + 200);
    expect(text).toContain("Reason:  OOMKilled");
    expect(text).toContain("Exit Code:  137");
    expect(text).toContain("Name: checkout-1");
  });

  it("an executor without gatherEvidence has no source (the local path is unchanged)", () => {
    expect(runtimeEvidenceOf({ kind: "local" })).toBeNull();
    const source = { gatherEvidence: async () => null };
    expect(runtimeEvidenceOf(source)).toBe(source);
  });
});
