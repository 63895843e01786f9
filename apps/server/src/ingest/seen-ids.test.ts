import { describe, expect, it } from "vitest";
import { SeenIds } from "./seen-ids.js";

describe("SeenIds", () => {
  it("never answers no for a key it holds, and rarely yes for one it does not", () => {
    const capacity = 50_000;
    const seen = new SeenIds(capacity);
    // Keys shaped like the ingest's: a project, NUL, an alert id that differs only in a counter.
    const held = Array.from({ length: capacity }, (_, i) => `default\u0000wh-${i}-${(i * 7919) % 1_000_003}`);
    for (const k of held) seen.add(k);
    expect(held.every((k) => seen.mightContain(k))).toBe(true);
    let falsePositives = 0;
    for (let i = 0; i < capacity; i++) if (seen.mightContain(`other\u0000wh-${i}-${i}`)) falsePositives++;
    // ~10 bits and 7 probes per key: ≈1 % expected at capacity.
    expect(falsePositives / capacity).toBeLessThan(0.02);
    expect(seen.size).toBe(capacity);
  });

  it("tells apart keys that differ in one character or in order", () => {
    const seen = new SeenIds(1024);
    seen.add("p\u0000ab");
    expect(seen.mightContain("p\u0000ab")).toBe(true);
    expect(seen.mightContain("p\u0000ba")).toBe(false);
    expect(seen.mightContain("p\u0000abc")).toBe(false);
    expect(seen.mightContain("q\u0000ab")).toBe(false);
  });
});
