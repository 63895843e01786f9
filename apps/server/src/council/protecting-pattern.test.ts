import { describe, expect, it } from "vitest";
import { protectingPattern } from "./protecting-pattern.js";

describe("protectingPattern", () => {
  const patterns = ["redis*", "kafka*", "!exporter", "!consumer", "aegis*"];

  it("returns the protecting pattern", () => {
    expect(protectingPattern(patterns, "redis-cache")).toBe("redis*");
  });

  it("lets a later negation un-protect clients of a store", () => {
    expect(protectingPattern(patterns, "redis-exporter")).toBeNull();
    expect(protectingPattern(patterns, "orders-kafka-consumer")).toBeNull();
  });

  it("lets a pattern after the negations win again", () => {
    expect(protectingPattern(patterns, "aegis-exporter")).toBe("aegis*");
  });

  it("returns null when nothing matches", () => {
    expect(protectingPattern(patterns, "checkout-api")).toBeNull();
  });
});
