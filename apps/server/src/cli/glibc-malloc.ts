import { createRequire } from "node:module";

/** glibc's `mallopt` parameter numbers (`<malloc.h>`). */
const M_MMAP_THRESHOLD = -3;

export interface GlibcMalloc {
  /**
   * `malloc_trim(0)`: every arena's free pages go back to the system (`madvise(MADV_DONTNEED)` inside
   * free chunks, not only at an arena's top; glibc ≥ 2.8). True when something was returned.
   */
  trim(): boolean;
}

export interface GlibcMallocTuning {
  /**
   * Blocks of at least this many bytes are mapped and unmapped on their own instead of carved from an
   * arena (`M_MMAP_THRESHOLD`, which also stops glibc from raising the threshold to the largest block
   * freed so far). `0` leaves glibc's own (dynamic) threshold.
   */
  mmapThresholdBytes: number;
}

/**
 * glibc's allocator, tuned from inside the process, which Node 20 cannot re-execute with
 * `MALLOC_MMAP_THRESHOLD_` set (ADR 0025, ninth and sixteenth rounds). Reached through koffi's C FFI
 * (its prebuilt binary ships in the npm package). `undefined` where there is no glibc (musl, macOS,
 * Windows) or the FFI cannot load: the process then runs with the allocator's defaults, as before.
 * Call it before the threads that allocate most (the embedded database's worker) start: the
 * threshold applies to blocks allocated from then on.
 */
export function tuneGlibcMalloc(t: GlibcMallocTuning): GlibcMalloc | undefined {
  if (process.platform !== "linux") return undefined;
  let lib: { func(signature: string): (...args: number[]) => number };
  try {
    const koffi = createRequire(import.meta.url)("koffi") as {
      load(path: string): { func(signature: string): (...args: number[]) => number };
    };
    lib = koffi.load("libc.so.6");
  } catch {
    return undefined;
  }
  let trim: (pad: number) => number;
  let mallopt: (param: number, value: number) => number;
  try {
    trim = lib.func("int malloc_trim(size_t pad)");
    mallopt = lib.func("int mallopt(int param, int value)");
  } catch {
    return undefined; // a libc.so.6 without glibc's malloc extensions
  }
  if (t.mmapThresholdBytes > 0) mallopt(M_MMAP_THRESHOLD, t.mmapThresholdBytes);
  return { trim: () => trim(0) === 1 };
}
