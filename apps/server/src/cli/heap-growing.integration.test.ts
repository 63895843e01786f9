import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BUILT = resolve(fileURLToPath(import.meta.url), "../../../dist/cli/heap-growing.js");

/**
 * A child process (the built module, as `aegis start` runs it) keeps ~60 MB live and churns garbage
 * that lives long enough to be promoted, as parsed feed bodies do; it reports its peak heap.
 */
function peakHeapMb(percent: number): number {
  const script = `
    import { applyHeapGrowing } from ${JSON.stringify(BUILT)};
    applyHeapGrowing(${percent});
    const live = Array.from({ length: 600000 }, (_, i) => ({ i, s: "live" + i }));
    const ring = new Array(64);
    let peak = 0;
    for (let r = 0; r < 3000; r++) {
      ring[r % 64] = Array.from({ length: 2000 }, (_, i) => ({ r, i, s: "g" + r + "-" + i }));
      if (r % 50 === 0) await new Promise((res) => setImmediate(res));
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    process.stdout.write(JSON.stringify({ peak: peak / 2 ** 20, live: live.length }));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  return (JSON.parse(out) as { peak: number }).peak;
}

describe("applyHeapGrowing (aegis start's AEGIS_V8_HEAP_GROWING_PERCENT)", () => {
  it("keeps the heap closer to its live size than V8's own growing factor", () => {
    const own = peakHeapMb(0);
    const bounded = peakHeapMb(30);
    expect(bounded).toBeLessThan(own * 0.7);
  }, 60_000);
});
