import { afterEach, describe, expect, it } from "vitest";
import type { SecurityEvent } from "../ports/security-events.js";
import { createLogger } from "../shared/logger.js";
import type { Database } from "../store/database.js";
import { freshDatabase, type TestDatabase } from "../testing/test-databases.js";
import { ApiKeyWatch } from "./api-key-watch.js";

/** The database with its inserts counted (each `insert` is one statement sent). */
function counting(database: Database): { database: Database; inserts: () => number } {
  let n = 0;
  const db = new Proxy(database.db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== "insert" || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        n++;
        return value.apply(target, args);
      };
    },
  });
  return { database: { ...database, db }, inserts: () => n };
}

describe("ApiKeyWatch", () => {
  let tdb: TestDatabase | null = null;
  afterEach(async () => {
    await tdb?.cleanup();
    tdb = null;
  });

  it("sends one query for a burst of first uses of a pair, and flags a new address once", async () => {
    tdb = await freshDatabase("pglite");
    const { database, inserts } = counting(tdb.database);
    const events: SecurityEvent[] = [];
    const watch = new ApiKeyWatch(database, { emit: (e) => events.push(e) }, createLogger("silent"));
    const key = { id: "key-1", name: "ci" };

    await watch.used(key, "default", "10.0.0.1");
    expect(inserts()).toBe(1);
    expect(events).toEqual([]);

    // 32 clients start at once from a second address: one insert, one event.
    await Promise.all(Array.from({ length: 32 }, () => watch.used(key, "default", "10.0.0.2")));
    expect(inserts()).toBe(2);
    expect(events.map((e) => [e.type, e.ip])).toEqual([["api_key_new_address", "10.0.0.2"]]);

    // Known afterwards: no query at all.
    await Promise.all(Array.from({ length: 8 }, () => watch.used(key, "default", "10.0.0.2")));
    expect(inserts()).toBe(2);
  });

  it("tries again after a failed query instead of remembering the pair", async () => {
    tdb = await freshDatabase("pglite");
    const { database, inserts } = counting(tdb.database);
    const watch = new ApiKeyWatch(database, { emit: () => undefined }, createLogger("silent"));
    await tdb.database.db.execute("alter table api_key_addresses rename to api_key_addresses_away");
    await Promise.all(Array.from({ length: 4 }, () => watch.used({ id: "k", name: "k" }, "default", "10.0.0.9")));
    expect(inserts()).toBe(1);
    await tdb.database.db.execute("alter table api_key_addresses_away rename to api_key_addresses");
    await watch.used({ id: "k", name: "k" }, "default", "10.0.0.9");
    expect(inserts()).toBe(2);
    await watch.used({ id: "k", name: "k" }, "default", "10.0.0.9");
    expect(inserts()).toBe(2);
  });
});
