import { describe, expect, it } from "vitest";
import { expandQuery, MAX_EXPANSION_WEIGHT, OpsVocabulary } from "./ops-vocabulary.js";
import { tokenize } from "./tokenize.js";

const weightOf = (terms: ReturnType<typeof expandQuery>, word: string) => {
  const [term] = tokenize(word);
  return terms.find((t) => t.term === term);
};

describe("ops vocabulary", () => {
  it("expands OOM to memory wording, at a lower weight than the original", () => {
    const q = expandQuery("container OOMKilled");
    const original = weightOf(q, "container");
    expect(original).toMatchObject({ weight: 1, expanded: false });
    const heap = weightOf(q, "heap");
    expect(heap?.expanded).toBe(true);
    expect(heap?.weight).toBeGreaterThan(0);
    expect(heap?.weight).toBeLessThanOrEqual(MAX_EXPANSION_WEIGHT);
  });

  it("matches multi-word phrases as triggers", () => {
    expect(weightOf(expandQuery("java process ran out of memory"), "oom")?.expanded).toBe(true);
    expect(weightOf(expandQuery("java process ran out of time"), "oom")).toBeUndefined();
  });

  it("links crash loops with restarts, 5xx with status codes, certs with x509", () => {
    expect(weightOf(expandQuery("pod keeps restarting"), "crashloop")?.expanded).toBe(true);
    expect(weightOf(expandQuery("spike of 5xx"), "503")?.expanded).toBe(true);
    expect(weightOf(expandQuery("502 bad gateway"), "5xx")?.expanded).toBe(true);
    expect(weightOf(expandQuery("tls certificate expired"), "x509")?.expanded).toBe(true);
  });

  it("never lowers an original term that is also a synonym", () => {
    const q = expandQuery("oom heap");
    expect(weightOf(q, "heap")).toMatchObject({ weight: 1, expanded: false });
  });

  it("tags expansions with their class so the index can score a class as one concept", () => {
    const q = expandQuery("disk full");
    expect(new Set(q.filter((t) => t.expanded).map((t) => t.group)).size).toBeGreaterThan(0);
    expect(q.filter((t) => !t.expanded).every((t) => t.group === undefined)).toBe(true);
  });

  it("weighs repeated and boosted originals higher", () => {
    const v = new OpsVocabulary([]);
    const q = v.expand(["pod", "pod", "node"], new Map([["node", 2]]));
    expect(q.find((t) => t.term === "pod")?.weight).toBeCloseTo(1 + Math.log(2));
    expect(q.find((t) => t.term === "node")?.weight).toBe(2);
  });

  it("supports custom classes and member weights", () => {
    const v = new OpsVocabulary([{ name: "db", weight: 0.5, members: ["postgres", ["database", 0.5]] }]);
    const q = v.expandText("postgres down");
    expect(q.find((t) => t.term === "databas")?.weight).toBeCloseTo(0.25);
  });
});
