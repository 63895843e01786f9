import { describe, expect, it } from "vitest";
import type { RunbookMatch } from "../../ports/knowledge-base.js";
import { BuiltinAnalyst } from "./builtin-analyst.js";
import { impliedAction, runbookGuidance } from "./runbook-guidance.js";
import { context, incident, recordingSink } from "./test-helpers.js";

const runbook = (over: Partial<RunbookMatch> = {}): RunbookMatch => ({
  id: "widget/HeapPressure",
  title: "Widget heap pressure",
  service: "widget-api",
  score: 0.8,
  confidence: "high",
  excerpt: "heap grows under load",
  body: "# Widget heap pressure\n\n## Meaning\n\nThe heap fills up.\n\n## Mitigation\n\nScale up the deployment, then look for the leak.\n",
  url: null,
  ...over,
});

/** A leaking heap while traffic is 2.5x normal: memory leak and traffic surge fit almost equally. */
const V8_UNDER_LOAD = [
  `{"level":"warn","ts":"2026-07-01T10:00:00.000Z","msg":"heap","heapUsedMB":1490,"heapLimitMB":2048}`,
  `{"level":"warn","ts":"2026-07-01T10:20:00.000Z","msg":"heap","heapUsedMB":1820,"heapLimitMB":2048}`,
  "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
].join("\n");
const underLoad = (runbooks: RunbookMatch[]) =>
  incident(V8_UNDER_LOAD, {
    context: context({ metrics: { rps: 500, memory_percent: 90 }, baseline: { rps: 200 } }),
    runbooks,
  });
const analyse = (input: ReturnType<typeof incident>) => new BuiltinAnalyst().analyse(input, recordingSink());

describe("runbook guidance", () => {
  it("reads the one action a mitigation section names, and none when it names several or none", () => {
    expect(impliedAction("## Mitigation\n\nRoll back the last release.\n")).toBe("ROLLBACK");
    expect(impliedAction("## Mitigation\n\nScale up the consumers.\n\n## Notes\n\nrestart the broker")).toBe(
      "SCALE_UP",
    );
    expect(impliedAction("## Mitigation\n\nRestart the pod or roll back the deploy.")).toBeNull();
    expect(impliedAction("## Diagnosis\n\nRestart the pod.")).toBeNull();
    expect(impliedAction("## Mitigation\n\nMake sure pods have enough resources.")).toBeNull();
  });

  it("cites only a good match", () => {
    expect(runbookGuidance([runbook({ confidence: "low", score: 0.3 })]).runbook).toBeNull();
    expect(runbookGuidance([runbook({ confidence: "medium" })])).toMatchObject({
      runbook: { id: "widget/HeapPressure" },
      implied: "SCALE_UP",
    });
    expect(runbookGuidance(undefined).runbook).toBeNull();
  });
});

describe("BuiltinAnalyst with runbooks", () => {
  it("cites the best runbook when it is a good match, and not when it is not", async () => {
    const cited = await analyse(
      incident(V8_UNDER_LOAD, { runbooks: [runbook({ body: "## Mitigation\n\nCheck the heap dump." })] }),
    );
    expect(cited.analysis.justification).toContain("Widget heap pressure (widget/HeapPressure");
    const weak = await analyse(incident(V8_UNDER_LOAD, { runbooks: [runbook({ confidence: "low", score: 0.2 })] }));
    expect(weak.analysis.justification).not.toContain("widget/HeapPressure");
  });

  it("lets a high-confidence runbook settle a near-tie between hypotheses", async () => {
    const none = await analyse(underLoad([]));
    expect(none.analysis.action).toBe("RESTART");
    const scale = await analyse(underLoad([runbook()]));
    expect(scale.analysis.action).toBe("SCALE_UP");
    expect(scale.category).toBe("traffic_surge");
    expect(scale.analysis.justification).toMatch(/runbook's SCALE_UP settles it/);
    // A medium match is cited but does not move the decision.
    const medium = await analyse(underLoad([runbook({ confidence: "medium", score: 0.55 })]));
    expect(medium.analysis.action).toBe("RESTART");
    expect(medium.analysis.justification).toMatch(/calls for SCALE_UP instead/);
    expect(medium.analysis.confidence).toBeLessThan(none.analysis.confidence);
  });

  it("never overrides a clear diagnosis", async () => {
    const input = incident(V8_UNDER_LOAD, {
      context: context({ metrics: { rps: 200, memory_percent: 97 }, baseline: { rps: 205 } }),
      runbooks: [runbook({ body: "## Mitigation\n\nRoll back the last release." })],
    });
    const r = await analyse(input);
    expect(r.analysis.action).toBe("RESTART");
    expect(r.analysis.justification).toMatch(/calls for ROLLBACK instead/);
  });

  it("gains a little confidence when the runbook agrees", async () => {
    const input = (runbooks: RunbookMatch[]) =>
      incident(V8_UNDER_LOAD, {
        context: context({ metrics: { rps: 200, memory_percent: 97 }, baseline: { rps: 205 } }),
        runbooks,
      });
    const plain = await analyse(input([]));
    const agreed = await analyse(input([runbook({ body: "## Mitigation\n\nRestart the pod to free the heap." })]));
    expect(agreed.analysis.action).toBe("RESTART");
    expect(agreed.analysis.confidence).toBeGreaterThanOrEqual(plain.analysis.confidence);
    expect(agreed.analysis.justification).toMatch(/also calls for RESTART/);
  });
});
