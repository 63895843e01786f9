import { setFlagsFromString } from "node:v8";

export interface V8Tuning {
  /** `AEGIS_V8_HEAP_GROWING_PERCENT`; 0 keeps V8's own factor. */
  heapGrowingPercent: number;
  /** `AEGIS_V8_WASM_TIER_UP`; false keeps WebAssembly on baseline (Liftoff) code. */
  wasmTierUp: boolean;
}

/**
 * V8 flags `aegis start` sets for itself, before anything is compiled, so no `NODE_OPTIONS` is needed.
 *
 * Heap growing: bounds how far the V8 heap grows past its live size before the next full (mark-compact)
 * collection. V8 reads `--heap-growing-percent` each time it sets the next limit, so setting it at start
 * takes effect (`0` keeps V8's own factor, up to 4× the live size when the process is busy). Unlike
 * `--max-old-space-size` it is no hard cap: a heap that needs more still gets it (no out-of-memory crash),
 * it only collects sooner. Measured in ADR 0023 (third round).
 *
 * WebAssembly tier-up: the embedded database is PostgreSQL compiled to WebAssembly. V8 first compiles it
 * with its baseline compiler (Liftoff), then re-compiles hot functions with its optimizing one (TurboFan)
 * in the background. For this module the second tier costs ~45 MB of resident memory and no measurable
 * speed (same CPU per statement, ADR 0025 sixth round), so it is off unless asked for. Process-wide: it
 * applies to every WebAssembly module, and must be set before the database worker compiles its module.
 */
export function applyV8Flags(t: V8Tuning): void {
  if (t.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${t.heapGrowingPercent}`);
  if (!t.wasmTierUp) setFlagsFromString("--liftoff-only");
}
