import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BUILT = resolve(fileURLToPath(import.meta.url), "../../../dist/cli/v8-flags.js");

/** Runs `script` as an ES module in a child process (the built module, as `aegis start` runs it). */
function child(script: string, flags: string[] = []): string {
  return execFileSync(process.execPath, [...flags, "--input-type=module", "-e", script], { encoding: "utf8" });
}

/**
 * A child keeps ~60 MB live and churns garbage that lives long enough to be promoted, as parsed feed
 * bodies do; it reports its peak heap.
 */
function peakHeapMb(percent: number): number {
  const out = child(`
    import { applyV8Flags } from ${JSON.stringify(BUILT)};
    applyV8Flags({ heapGrowingPercent: ${percent}, wasmTierUp: true });
    const live = Array.from({ length: 600000 }, (_, i) => ({ i, s: "live" + i }));
    const ring = new Array(64);
    let peak = 0;
    for (let r = 0; r < 3000; r++) {
      ring[r % 64] = Array.from({ length: 2000 }, (_, i) => ({ r, i, s: "g" + r + "-" + i }));
      if (r % 50 === 0) await new Promise((res) => setImmediate(res));
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    process.stdout.write(JSON.stringify({ peak: peak / 2 ** 20, live: live.length }));`);
  return (JSON.parse(out) as { peak: number }).peak;
}

/**
 * A child applies the flags, then calls a WebAssembly function hot enough for V8's dynamic tiering to
 * re-compile it with the optimizing compiler, waiting up to 5 s for that background compile; it reports
 * which tier the function ended on.
 */
function wasmTier(wasmTierUp: boolean): { liftoff: boolean; turbofan: boolean } {
  const out = child(
    `
    import { applyV8Flags } from ${JSON.stringify(BUILT)};
    applyV8Flags({ heapGrowingPercent: 0, wasmTierUp: ${wasmTierUp} });
    // (module (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add))
    const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,6,1,96,1,127,1,127,3,2,1,0,7,5,1,1,102,0,0,10,9,1,7,0,32,0,65,1,106,11]);
    const { instance } = await WebAssembly.instantiate(bytes);
    const f = instance.exports.f;
    let x = 0;
    const end = Date.now() + 5000;
    while (Date.now() < end && !%IsTurboFanFunction(f)) {
      for (let i = 0; i < 200000; i++) x = f(x);
      await new Promise((r) => setTimeout(r, 20));
    }
    process.stdout.write(JSON.stringify({ liftoff: %IsLiftoffFunction(f), turbofan: %IsTurboFanFunction(f), x }));`,
    ["--allow-natives-syntax"],
  );
  return JSON.parse(out) as { liftoff: boolean; turbofan: boolean };
}

describe("applyV8Flags (aegis start's V8 settings)", () => {
  it("AEGIS_V8_HEAP_GROWING_PERCENT keeps the heap closer to its live size than V8's own growing factor", () => {
    const own = peakHeapMb(0);
    const bounded = peakHeapMb(30);
    expect(bounded).toBeLessThan(own * 0.7);
  }, 60_000);

  it("AEGIS_V8_WASM_TIER_UP off keeps hot WebAssembly on baseline code; on lets V8 optimize it", () => {
    expect(wasmTier(false)).toMatchObject({ liftoff: true, turbofan: false });
    expect(wasmTier(true)).toMatchObject({ liftoff: false, turbofan: true });
  }, 60_000);
});
