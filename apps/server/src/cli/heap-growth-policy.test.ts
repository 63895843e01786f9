import { describe, expect, it } from "vitest";
import { HeapGrowthPolicy, LARGE_FLEET_SERVERS } from "./heap-growth-policy.js";

describe("HeapGrowthPolicy", () => {
  it("keeps the base factor below a large fleet, then moves to the large-fleet factor once, for good", () => {
    const applied: number[] = [];
    const policy = new HeapGrowthPolicy(30, 200, (p) => applied.push(p));
    expect(policy.observe(0)).toBe(false);
    expect(policy.observe(LARGE_FLEET_SERVERS - 1)).toBe(false);
    expect(policy.percent).toBe(30);
    expect(applied).toEqual([]);

    expect(policy.observe(LARGE_FLEET_SERVERS)).toBe(true);
    expect(policy.percent).toBe(200);
    expect(policy.observe(10_000)).toBe(false);
    expect(policy.observe(0)).toBe(false);
    expect(applied).toEqual([200]);
  });

  it("a large-fleet factor of 0 keeps the base factor at any size", () => {
    const applied: number[] = [];
    const policy = new HeapGrowthPolicy(30, 0, (p) => applied.push(p));
    expect(policy.observe(LARGE_FLEET_SERVERS * 5)).toBe(false);
    expect(policy.percent).toBe(30);
    expect(applied).toEqual([]);
  });
});
