import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BUILT = resolve(fileURLToPath(import.meta.url), "../../../dist/cli/glibc-malloc.js");
const glibc = process.platform === "linux" && Boolean(process.report?.getReport().header.glibcVersionRuntime);

/**
 * Runs `body` in a child (the built module, as `aegis start` runs it) after `tuneGlibcMalloc` with the
 * given threshold; `rss()` reads the child's resident memory in MB, `gc()` collects its V8 heap (which
 * frees the malloc'd backing stores of dropped Buffers). Prints what `body` returns, as JSON.
 */
function child(mmapThresholdBytes: number, body: string): Record<string, number> {
  const script = `
    import { tuneGlibcMalloc } from ${JSON.stringify(BUILT)};
    const malloc = tuneGlibcMalloc({ mmapThresholdBytes: ${mmapThresholdBytes} });
    if (!malloc) throw new Error("no glibc malloc");
    const rss = () => process.memoryUsage.rss() / 2 ** 20;
    const out = await (async () => { ${body} })();
    process.stdout.write(JSON.stringify(out));`;
  const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  return JSON.parse(out) as Record<string, number>;
}

describe.skipIf(!glibc)("tuneGlibcMalloc (aegis start's glibc settings)", () => {
  it("trim() gives back the free memory an arena keeps between live blocks", () => {
    // 1,600 blocks of 64 KB (below any mmap threshold: carved from an arena); every other one is dropped,
    // so the freed half sits between live blocks, where free() alone never returns it.
    const r = child(
      0,
      `
      const blocks = Array.from({ length: 1600 }, () => Buffer.allocUnsafeSlow(64 * 1024).fill(1));
      for (let i = 0; i < blocks.length; i += 2) blocks[i] = null;
      gc(); gc();
      await new Promise((res) => setTimeout(res, 50));
      const before = rss();
      const trimmed = malloc.trim();
      const after = rss();
      return { before, after, trimmed: trimmed ? 1 : 0, live: blocks.filter(Boolean).length };`,
    );
    expect(r.live).toBe(800);
    expect(r.trimmed).toBe(1);
    // ~50 MB were freed between live blocks; most of it is resident until the trim.
    expect((r.before ?? 0) - (r.after ?? 0)).toBeGreaterThan(30);
  });

  it("a fixed mmap threshold returns large freed blocks at once, where glibc's dynamic one keeps them", () => {
    // Freeing one 8 MB block raises glibc's own threshold to 8 MB; 1 MB blocks then come from an arena
    // and stay resident when freed (between live ones). With the threshold fixed at 128 KB they are
    // mapped on their own and unmapped when freed.
    const body = `
      // In its own frame: a value the running frame computed can stay alive in its registers.
      (() => void Buffer.allocUnsafeSlow(8 * 2 ** 20).fill(1))();
      gc(); gc();
      const blocks = Array.from({ length: 120 }, () => Buffer.allocUnsafeSlow(2 ** 20).fill(1));
      const full = rss();
      for (let i = 0; i < blocks.length; i += 2) blocks[i] = null;
      gc(); gc();
      await new Promise((res) => setTimeout(res, 50));
      return { returned: full - rss(), live: blocks.filter(Boolean).length };`;
    const dynamic = child(0, body);
    const fixed = child(131_072, body);
    expect(dynamic.live).toBe(60);
    expect(fixed.live).toBe(60);
    // 60 MB freed: given back with the fixed threshold, kept with glibc's raised one.
    expect(fixed.returned ?? 0).toBeGreaterThan(45);
    expect(dynamic.returned ?? 0).toBeLessThan(15);
  });
});
