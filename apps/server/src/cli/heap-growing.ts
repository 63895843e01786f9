import { setFlagsFromString } from "node:v8";

/**
 * Bounds how far the V8 heap grows past its live size before the next full (mark-compact) collection:
 * V8 reads `--heap-growing-percent` each time it sets the next limit, so setting it at start takes effect
 * without a restart or a `NODE_OPTIONS` flag (`0` keeps V8's own factor, up to 4× the live size when the
 * process is busy). Unlike `--max-old-space-size` it is no hard cap: a heap that needs more still gets
 * it (no out-of-memory crash), it only collects sooner. Measured in ADR 0023 (third round).
 */
export function applyHeapGrowing(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
