import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_NAB_DIR, evaluateNab, loadNabCorpus, nabSplit } from "./nab-corpus.js";
import { listCsv, parseTimestamp, runNab } from "./nab-runner.js";

const stamp = (i: number) => {
  const d = new Date(Date.UTC(2014, 6, 1) + i * 300_000);
  return d.toISOString().slice(0, 19).replace("T", " ");
};

describe("nab-runner", () => {
  const root = mkdtempSync(join(tmpdir(), "nab-runner-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("mirrors the data layout with timestamp,value,anomaly_score rows", () => {
    const data = join(root, "data");
    const rows = (n: number) =>
      Array.from(
        { length: n },
        (_, i) =>
          `2014-07-01 ${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00,${i % 7}`,
      );
    mkdirSync(join(data, "realA"), { recursive: true });
    mkdirSync(join(data, "realB"), { recursive: true });
    writeFileSync(join(data, "realA", "one.csv"), ["timestamp,value", ...rows(300)].join("\n"));
    writeFileSync(join(data, "realB", "two.csv"), ["timestamp,value", ...rows(20)].join("\n"));
    const out = join(root, "out");
    const summary = runNab(data, out);
    expect(summary).toMatchObject({ files: 2, rows: 320 });
    expect(listCsv(out)).toEqual([join("realA", "one.csv"), join("realB", "two.csv")]);
    const lines = readFileSync(join(out, "realA", "one.csv"), "utf8")
      .trim()
      .split("\n");
    expect(lines[0]).toBe("timestamp,value,anomaly_score");
    expect(lines).toHaveLength(301);
    expect(lines[1]).toBe("2014-07-01 00:00:00,0,0");
    const last = lines[300]?.split(",") ?? [];
    expect(last[0]).toBe("2014-07-01 04:59:00");
    expect(Number(last[2])).toBeGreaterThanOrEqual(0);
  });

  it("parses NAB timestamps as UTC", () => {
    expect(parseTimestamp("2014-07-01 00:30:00").toISOString()).toBe("2014-07-01T00:30:00.000Z");
  });

  it("splits by file: deterministic, disjoint, complete, every category in both halves", () => {
    const rels = ["b/3.csv", "a/2.csv", "a/1.csv", "b/1.csv", "a/3.csv", "b/2.csv", "c/9.csv", "c/1.csv"];
    const tune = nabSplit(rels, "tune");
    const holdout = nabSplit(rels, "holdout");
    expect(tune).toEqual(["a/1.csv", "a/3.csv", "b/1.csv", "b/3.csv", "c/1.csv"]);
    expect(holdout).toEqual(["a/2.csv", "b/2.csv", "c/9.csv"]);
    expect(nabSplit([...rels].reverse(), "tune")).toEqual(tune);
    expect([...tune, ...holdout].sort()).toEqual(nabSplit(rels, "all"));
    for (const cat of ["a", "b", "c"]) {
      expect(tune.some((r) => r.startsWith(cat))).toBe(true);
      expect(holdout.some((r) => r.startsWith(cat))).toBe(true);
    }
  });

  it("writes only the requested split's files", () => {
    const data = join(root, "split-data");
    for (const [dir, name] of [
      ["realA", "1.csv"],
      ["realA", "2.csv"],
      ["realB", "1.csv"],
      ["realB", "2.csv"],
    ] as const) {
      mkdirSync(join(data, dir), { recursive: true });
      writeFileSync(
        join(data, dir, name),
        ["timestamp,value", ...Array.from({ length: 50 }, (_, i) => `${stamp(i)},${i % 3}`)].join("\n"),
      );
    }
    const out = join(root, "split-out");
    expect(runNab(data, out, undefined, "holdout").files).toBe(2);
    expect(listCsv(out)).toEqual([join("realA", "2.csv"), join("realB", "2.csv")]);
  });

  it("scores a synthetic corpus with NAB's rules: a spike inside its window is detected, a quiet file costs nothing", async () => {
    const nab = join(root, "nab");
    const n = 3000;
    const values = (spikeAt: number) =>
      Array.from(
        { length: n },
        (_, i) => 50 + 10 * Math.sin((2 * Math.PI * i) / 288) + ((i * 7919) % 13) / 13 + (i === spikeAt ? 80 : 0),
      );
    const write = (rel: string, v: number[]) => {
      mkdirSync(join(nab, "data", rel.split("/")[0] ?? ""), { recursive: true });
      writeFileSync(join(nab, "data", rel), ["timestamp,value", ...v.map((x, i) => `${stamp(i)},${x}`)].join("\n"));
    };
    write("synth/spike.csv", values(2000));
    write("synth/quiet.csv", values(-1));
    mkdirSync(join(nab, "labels"), { recursive: true });
    mkdirSync(join(nab, "config"), { recursive: true });
    writeFileSync(
      join(nab, "labels", "combined_windows.json"),
      JSON.stringify({
        "synth/spike.csv": [[`${stamp(1900)}.000000`, `${stamp(2100)}.000000`]],
        "synth/quiet.csv": [],
      }),
    );
    writeFileSync(join(nab, "config", "profiles.json"), readFileSync(join(DEFAULT_NAB_DIR, "config", "profiles.json")));
    const corpus = await loadNabCorpus(nab);
    const all = evaluateNab(corpus, ["synth/quiet.csv", "synth/spike.csv"]);
    expect(all).toMatchObject({ files: 2, windows: 1, rows: 2 * n });
    expect(all.optimised.standard.windowsDetected).toBe(1);
    expect(all.optimised.standard.fpRows).toBe(0);
    // Detected at the spike, the middle of the window: NAB's sigmoid gives about 86% of the maximum.
    expect(all.optimised.standard.normalized).toBeGreaterThan(80);
    expect(all.optimised.standard.normalized).toBeLessThan(100);
    const never = evaluateNab(corpus, ["synth/spike.csv"], undefined, {
      standard: null,
      reward_low_FP_rate: null,
      reward_low_FN_rate: null,
    });
    expect(never.fixed?.standard.normalized).toBe(0);
  });
});
