import { describe, expect, it } from "vitest";
import { TargetProtection } from "../safety/target-protection.js";
import { defaultCouncilPolicy } from "./council-policy.js";

describe("defaultCouncilPolicy", () => {
  it("has safe defaults", () => {
    const policy = defaultCouncilPolicy();
    expect(policy.allowedActions).toEqual(["RESTART", "SCALE_UP", "SCALE_DOWN", "ROLLBACK", "NOOP"]);
    expect(policy.maxReplicas).toBe(5);
    expect(policy.restartBudgetPerHour).toBe(3);
    expect(policy.minConfidence).toBe(0.5);
    expect(policy.reviewConfidence).toBe(0.7);
    expect(policy.protection.operatorPatterns).toEqual([]);
  });

  const kindOf = (policy: ReturnType<typeof defaultCouncilPolicy>, name: string) =>
    policy.protection.check({ names: [name] })?.kind ?? null;

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
    expect(kindOf(defaultCouncilPolicy(), name)).not.toBeNull();
  });

  it.each([
    "checkout-api",
    "order-events-consumer",
    "redis-exporter",
    "orders-kafka-consumer",
    "buggy-app-v2",
    "feedback-api",
  ])("does not protect %s by default", (name) => {
    expect(kindOf(defaultCouncilPolicy(), name)).toBeNull();
  });

  it("applies overrides; operator patterns add to the defaults", () => {
    const policy = defaultCouncilPolicy({ maxReplicas: 8, protection: new TargetProtection(["billing*"]) });
    expect(policy.maxReplicas).toBe(8);
    expect(kindOf(policy, "billing-worker")).toBe("operator");
    expect(kindOf(policy, "postgres-primary")).toBe("store");
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
