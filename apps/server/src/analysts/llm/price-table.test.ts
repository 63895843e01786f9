import { describe, expect, it } from "vitest";
import { analysisSignature } from "./analysis-signature.js";
import { PriceTable } from "./price-table.js";

describe("PriceTable", () => {
  const t = new PriceTable({ "my-local-model": [0, 0], "gpt-4o": [5, 15] });

  it("matches the longest prefix, ignoring vendor prefixes and date suffixes", () => {
    expect(t.priceOf("gpt-4o-mini-2024-07-18")).toEqual([0.15, 0.6]);
    expect(t.priceOf("openai/gpt-4o-mini")).toEqual([0.15, 0.6]);
    expect(t.priceOf("claude-sonnet-4-5-20250929")).toEqual([3, 15]);
    expect(t.priceOf("llama3.2:3b")).toBeUndefined();
  });

  it("lets configuration override the defaults", () => {
    expect(t.priceOf("gpt-4o-2024-08-06")).toEqual([5, 15]);
    expect(t.costOf("gpt-4o", { promptTokens: 1_000_000, completionTokens: 100_000 })).toBeCloseTo(6.5, 9);
    expect(t.costOf("unknown-model", { promptTokens: 5000, completionTokens: 5000 })).toBe(0);
  });
});

describe("analysisSignature", () => {
  it("ignores timestamps, ids, IPs, case and spacing", () => {
    const a = analysisSignature(
      "Memory Leak",
      "2025-12-20T00:45:00Z pid 48213 req 9f8e7d6c5b4a3f2e host 10.0.0.1  OOM",
    );
    const b = analysisSignature(
      "memory leak",
      "2026-01-02 13:01:59.123 pid 51007 req 0a1b2c3d4e5f6a7b host 10.0.0.9 oom",
    );
    expect(a).toBe(b);
  });

  it("keeps what matters: the alert, small numbers, the target", () => {
    const base = analysisSignature("CPU", "cpu 99%", "api");
    expect(analysisSignature("CPU", "cpu 45%", "api")).not.toBe(base);
    expect(analysisSignature("CPU", "cpu 99%", "worker")).not.toBe(base);
    expect(analysisSignature("Memory", "cpu 99%", "api")).not.toBe(base);
  });
});
