import { describe, expect, it } from "vitest";
import { defaultCouncilPolicy } from "./council-policy.js";
import { protectingPattern } from "./protecting-pattern.js";

describe("defaultCouncilPolicy", () => {
  it("has safe defaults", () => {
    const policy = defaultCouncilPolicy();
    expect(policy.allowedActions).toEqual(["RESTART", "SCALE_UP", "SCALE_DOWN", "ROLLBACK", "NOOP"]);
    expect(policy.maxReplicas).toBe(5);
    expect(policy.restartBudgetPerHour).toBe(3);
    expect(policy.minConfidence).toBe(0.5);
    expect(policy.reviewConfidence).toBe(0.7);
    expect(policy.selfTargets).toEqual(["aegis*"]);
  });

  it.each([
    "postgres-primary",
    "orders-db",
    "redis-cache",
    "mysql-0",
    "mongodb-rs0",
    "kafka-broker-1",
    "etcd-2",
    "aegis-agent",
  ])("protects %s by default", (name) => {
    expect(protectingPattern(defaultCouncilPolicy().protectedTargets, name)).not.toBeNull();
  });

  it.each([
    "checkout-api",
    "order-events-consumer",
    "redis-exporter",
    "orders-kafka-consumer",
    "buggy-app-v2",
    "feedback-api",
  ])("does not protect %s by default", (name) => {
    expect(protectingPattern(defaultCouncilPolicy().protectedTargets, name)).toBeNull();
  });

  it("applies overrides and appends extra protected targets after the defaults", () => {
    const policy = defaultCouncilPolicy({ maxReplicas: 8, extraProtectedTargets: ["billing*"] });
    expect(policy.maxReplicas).toBe(8);
    expect(protectingPattern(policy.protectedTargets, "billing-worker")).toBe("billing*");
    expect(protectingPattern(policy.protectedTargets, "postgres-primary")).toBe("postgres*");
  });

  it.each([
    [{ maxReplicas: 0 }],
    [{ maxReplicas: 2.5 }],
    [{ restartBudgetPerHour: 0 }],
    [{ minConfidence: 1.5 }],
    [{ reviewConfidence: Number.NaN }],
    [{ minConfidence: 0.8, reviewConfidence: 0.6 }],
    [{ allowedActions: ["RESTART", "DELETE"] as never }],
  ])("rejects a broken policy %o", (overrides) => {
    expect(() => defaultCouncilPolicy(overrides)).toThrow(RangeError);
  });
});
