import { describe, expect, it } from "vitest";
import { CpuMeter } from "./cpu-meter.js";
import { parsePsLine, parseStatCpuTicks, parseStatusRssKb, readProcessSample } from "./process-sample.js";

describe("process samples", () => {
  it("parses /proc/<pid>/stat even when comm has spaces and parens", () => {
    const stat = "1234 (node (worker) x) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0 5000 0 0";
    expect(parseStatCpuTicks(stat)).toBe(300);
  });

  it("parses VmRSS and treats a missing line as 0", () => {
    expect(parseStatusRssKb("Name:\tnode\nVmRSS:\t   51200 kB\nThreads:\t7\n")).toBe(51200);
    expect(parseStatusRssKb("Name:\tzombie\n")).toBe(0);
  });

  it("parses ps output", () => {
    expect(parsePsLine("  2048  01:02:03\n")).toEqual({ rssBytes: 2048 * 1024, cpuSeconds: 3723 });
    expect(parsePsLine("1024 1-00:00:01")).toEqual({ rssBytes: 1024 * 1024, cpuSeconds: 86401 });
    expect(parsePsLine("")).toBeNull();
  });

  it("samples this process and reports a vanished pid as null", async () => {
    const self = await readProcessSample(process.pid);
    expect(self?.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(await readProcessSample(2 ** 22 + 12345)).toBeNull();
  });

  it("computes CPU % from deltas, averaging over lifetime on first reading", () => {
    const meter = new CpuMeter();
    expect(meter.percent(1, 1, 0, 2000)).toBe(50);
    expect(meter.percent(1, 2, 0, 3000)).toBe(100);
    meter.retain(new Set());
    expect(meter.percent(1, 2, 2000, 3000)).toBe(200);
  });
});
