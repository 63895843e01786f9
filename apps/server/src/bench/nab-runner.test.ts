import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listCsv, parseTimestamp, runNab } from "./nab-runner.js";

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
});
