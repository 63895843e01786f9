import { describe, expect, it } from "vitest";
import { collectGarbage } from "./collect-garbage.js";

describe("collectGarbage", () => {
  it("frees this thread's unreachable objects without --expose-gc", async () => {
    let garbage: { n: number; s: string }[] | null = [];
    for (let i = 0; i < 200_000; i++) garbage.push({ n: i, s: `item ${i}` });
    expect(garbage).toHaveLength(200_000);
    garbage = null;
    const heap = await collectGarbage();
    expect(heap.heapUsedBefore - heap.heapUsedAfter).toBeGreaterThan(8 * 1024 * 1024);
  });
});
