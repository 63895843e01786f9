import { describe, expect, it } from "vitest";
import type { AnalysisRecordSet } from "../../store/analysis-record-store.js";
import { BatchedAnalysisRecords } from "./batched-analysis-records.js";

const h = (rank: number) => ({
  rank,
  claim: `c${rank}`,
  description: "d",
  confidence: 0.5,
  confidenceLower: 0.4,
  confidenceUpper: 0.6,
  supportingEvidence: [],
  contradictingEvidence: [],
});

describe("BatchedAnalysisRecords", () => {
  it("writes saves made together as one group, in order, the last save of an incident winning", async () => {
    const groups: AnalysisRecordSet[][] = [];
    const b = new BatchedAnalysisRecords(async (sets) => {
      groups.push(sets);
    });
    await Promise.all([
      b.save("p", "A", "builtin", [h(1)], []),
      b.save("p", "B", "builtin", [h(1)], []),
      b.save("p", "A", "builtin", [h(2)], []),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.map((s) => [s.incidentId, s.hypotheses[0]?.rank])).toEqual([
      ["B", 1],
      ["A", 2],
    ]);
  });

  it("saves made while a group is being written form the next group; each save resolves after its own write", async () => {
    const groups: string[][] = [];
    let release: () => void = () => undefined;
    const first = new Promise<void>((r) => {
      release = r;
    });
    const b = new BatchedAnalysisRecords(async (sets) => {
      groups.push(sets.map((s) => s.incidentId));
      if (groups.length === 1) await first;
    });
    let aDone = false;
    const a = b.save("p", "A", "x", [], []).then(() => {
      aDone = true;
    });
    await new Promise((r) => setImmediate(r));
    const later = [b.save("p", "B", "x", [], []), b.save("p", "C", "x", [], [])];
    await new Promise((r) => setTimeout(r, 5));
    expect(aDone).toBe(false);
    expect(groups).toEqual([["A"]]);
    release();
    await Promise.all([a, ...later]);
    expect(groups).toEqual([["A"], ["B", "C"]]);
  });

  it("a failed write rejects every save of its group, and the next group is written", async () => {
    let calls = 0;
    const b = new BatchedAnalysisRecords(async () => {
      calls++;
      if (calls === 1) throw new Error("database down");
    });
    const results = await Promise.allSettled([b.save("p", "A", "x", [], []), b.save("p", "B", "x", [], [])]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    await expect(b.save("p", "C", "x", [], [])).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
