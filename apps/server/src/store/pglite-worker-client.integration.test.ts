import { afterEach, describe, expect, it } from "vitest";
import { PgliteWorkerClient } from "./pglite-worker-client.js";

describe("the embedded database's worker thread", () => {
  let client: PgliteWorkerClient | undefined;
  afterEach(async () => client?.close());

  it("collects its own heap on request: the garbage of a large result goes, the database keeps answering", async () => {
    client = await PgliteWorkerClient.create(undefined, {});
    // ~16 MB of rows built in the worker, posted to this thread, then garbage there.
    for (let i = 0; i < 4; i++) {
      const big = await client.query("select repeat('x', 4000) as pad from generate_series(1, 1000)");
      expect(big.rows).toHaveLength(1000);
    }
    const heap = await client.collectGarbage();
    expect(heap.heapUsedBefore - heap.heapUsedAfter).toBeGreaterThan(4 * 1024 * 1024);
    expect((await client.query("select 41 + 1 as n")).rows).toEqual([{ n: 42 }]);
  });
});
