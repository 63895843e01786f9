import { describe, expect, it } from "vitest";
import { salientLogs } from "./salient-logs.js";

const filler = (n: number, tag = "GET /index 200") =>
  Array.from({ length: n }, (_, i) => `2024-03-01 10:${String(i % 60).padStart(2, "0")} INFO req ${i} ${tag}`);

/** Lines that differ in letters, not digits (digits alone mark a repeat). */
const word = (n: number) =>
  `${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + (Math.floor(n / 26) % 26))}q`;

describe("salientLogs", () => {
  it("returns logs that fit unchanged", () => {
    expect(salientLogs("a\nb", 100)).toBe("a\nb");
  });

  it("keeps a reason buried in the middle that a blind tail would cut", () => {
    const logs = [
      "Name: worker-1",
      ...filler(50, "boot step"),
      "    Last State:     Terminated",
      "      Reason:       OOMKilled",
      "      Exit Code:    137",
      ...Array.from({ length: 200 }, (_, i) => `app line ${word(i)} ${word(i * 7)}`),
      "final line",
    ].join("\n");
    const out = salientLogs(logs, 1500);
    expect(out.length).toBeLessThanOrEqual(1500);
    expect(out).toContain("Reason:       OOMKilled");
    expect(out).toContain("Exit Code:    137");
    expect(out).toContain("Name: worker-1");
    expect(out).toContain("final line");
    expect(out).toMatch(/\[… \d+ lines omitted …\]/);
  });

  it("collapses repeated messages into one line with a count", () => {
    const logs = [...filler(300, "ERROR upstream refused"), "tail"].join("\n");
    const out = salientLogs(logs, 400);
    expect(out).toMatch(/ERROR upstream refused \[×300\]/);
    expect(out.split("\n").filter((l) => l.includes("upstream refused"))).toHaveLength(1);
  });

  it("prefers warning events and errors over ordinary lines", () => {
    const logs = [
      ...filler(100),
      "  Warning  FailedScheduling  2m  default-scheduler  0/3 nodes are available: 3 Insufficient memory.",
      ...Array.from({ length: 100 }, (_, i) => `debug ${word(i)}`),
    ].join("\n");
    expect(salientLogs(logs, 800)).toContain("Insufficient memory");
  });
});
