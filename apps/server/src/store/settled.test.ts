import { describe, expect, it } from "vitest";
import { settled } from "./settled.js";

describe("settled", () => {
  it("gives every value in order, typed per position", async () => {
    const [a, b, c] = await settled([Promise.resolve(1), Promise.resolve("two"), Promise.resolve(undefined)]);
    expect([a, b, c]).toEqual([1, "two", undefined]);
  });

  it("fails with the first failure only after every other statement has settled", async () => {
    const log: string[] = [];
    const late = new Promise<void>((r) =>
      setTimeout(() => {
        log.push("late settled");
        r();
      }, 30),
    );
    const failed = Promise.reject(new Error("first"));
    const second = new Promise<void>((_, reject) => setTimeout(() => reject(new Error("second")), 10));
    await expect(
      settled([failed, late, second]).finally(() => {
        log.push("settled returned");
      }),
    ).rejects.toThrow("first");
    // Promise.all would have returned before `late` (and the transaction ended under it).
    expect(log).toEqual(["late settled", "settled returned"]);
  });
});
