import { describe, expect, it } from "vitest";
import { parseAge, parseTimestamp, parseYearless } from "./timestamps.js";

const at = (iso: string) => Date.parse(iso);

describe("parseTimestamp", () => {
  it.each([
    ["2026-04-01T10:00:05.250Z GET /x", "2026-04-01T10:00:05.250Z"],
    ["[2026-04-01T12:00:05.000+0200][info] boot", "2026-04-01T10:00:05.000Z"],
    ["2026-04-01 10:00:05,120 ERROR worker", "2026-04-01T10:00:05.120Z"],
    ["pg: 2026-04-01 10:00:05.120 UTC [88] LOG: x", "2026-04-01T10:00:05.120Z"],
    ["2026/04/01 10:00:05 [error] 7#7: upstream", "2026-04-01T10:00:05Z"],
    ['10.0.0.1 - - [01/Apr/2026:06:00:05 -0400] "GET / HTTP/1.1" 200', "2026-04-01T10:00:05Z"],
    ["[Wed Apr  1 10:00:05 2026] oom-kill", "2026-04-01T10:00:05Z"],
    ["Started: Wed, 01 Apr 2026 10:00:05 +0000", "2026-04-01T10:00:05Z"],
    ['{"level":50,"time":1775037605000,"msg":"x"}', "2026-04-01T10:00:05Z"],
  ])("reads %s", (line, expected) => {
    expect(parseTimestamp(line)).toBe(at(expected));
  });

  it("ignores lines without a plausible timestamp", () => {
    expect(parseTimestamp("retrying in 8s (attempt 4/10)")).toBeNull();
    expect(parseTimestamp("version 1999-99-99 12:99:00")).toBeNull();
  });
});

describe("parseYearless", () => {
  it("places syslog and klog lines in the given year", () => {
    expect(parseYearless("Apr  1 10:00:05 host app[1]: x", 2026)).toBe(at("2026-04-01T10:00:05Z"));
    expect(parseYearless("E0401 10:00:05.500000 1 controller.go:1] x", 2026)).toBe(at("2026-04-01T10:00:05.500Z"));
  });
});

describe("parseAge", () => {
  it("reads kubectl ages", () => {
    expect(parseAge("12m")).toBe(12 * 60_000);
    expect(parseAge("2d4h")).toBe(52 * 3_600_000);
    expect(parseAge("-")).toBeNull();
  });
});
