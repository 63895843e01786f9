import { describe, expect, it } from "vitest";
import { matchesTarget } from "./matches-target.js";

describe("matchesTarget", () => {
  it.each([
    ["postgres*", "postgres-primary"],
    ["postgres*", "postgresql-0"],
    ["postgres*", "PostgreSQL"],
    ["db", "orders-db"],
    ["db", "orders_db_replica"],
    ["*db", "mongodb-rs0"],
    ["redis*", "redis-cache"],
    ["redis*", "sessions.redis.svc"],
    ["aegis*", "aegis-agent"],
    ["aegis*", "AEGIS"],
    ["kafka-broker-?", "kafka-broker-2"],
    ["orders-db", "prod-orders-db-0"],
    ["db", "ordersDb"],
    ["billing-*", "billing-worker"],
  ])("%s matches %s", (pattern, name) => {
    expect(matchesTarget(pattern, name)).toBe(true);
  });

  it.each([
    ["db", "dbt-runner"],
    ["db", "feedback-api"],
    ["redis*", "checkout-api"],
    ["aegis*", "buggy-app-v2"],
    ["postgres*", "pg"],
    ["kafka-broker-?", "kafka-broker-12"],
    ["orders-db", "orders-dbx"],
    ["", "anything"],
    ["db", ""],
  ])("%s does not match %s", (pattern, name) => {
    expect(matchesTarget(pattern, name)).toBe(false);
  });
});
