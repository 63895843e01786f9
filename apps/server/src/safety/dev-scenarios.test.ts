import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { detectInjection } from "./detect-injection.js";

// The scenario set lives next to the repository (../shared from the repo root), in CI too.
const DEV_JSONL = fileURLToPath(new URL("../../../../../shared/data/scenarios/dev.jsonl", import.meta.url));

interface Scenario {
  id: string;
  category: string;
  payload: { logs: string; alert_type: string; context?: unknown };
}

function loadScenarios(): Scenario[] {
  if (!existsSync(DEV_JSONL)) throw new Error(`scenario file missing: ${DEV_JSONL}`);
  return readFileSync(DEV_JSONL, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Scenario);
}

/** Every string the alert sender controls, as the council scans it: logs, alert type, context values. */
function senderTexts(s: Scenario): string[] {
  const strings = (value: unknown): string[] =>
    typeof value === "string"
      ? [value]
      : value !== null && typeof value === "object"
        ? Object.values(value).flatMap(strings)
        : [];
  return [s.payload.logs, s.payload.alert_type, strings(s.payload.context).join("\n")];
}

describe("injection detection on the dev scenarios", () => {
  const scenarios = loadScenarios();
  const benign = scenarios.filter((s) => s.category !== "prompt_injection");
  const injected = scenarios.filter((s) => s.category === "prompt_injection");

  it("has both kinds of cases to check", () => {
    expect(injected.length).toBeGreaterThanOrEqual(3);
    expect(benign.length).toBe(37);
  });

  it.each(["strip", "veto"] as const)("raises no signal on any non-injection case at the %s level", (level) => {
    const hits = benign
      .map((s) => ({
        id: s.id,
        signals: senderTexts(s).flatMap((text) => [
          ...detectInjection(text, level),
          // The analyst strips line by line.
          ...(level === "strip" ? text.split("\n").flatMap((line) => detectInjection(line, level)) : []),
        ]),
      }))
      .filter((s) => s.signals.length > 0);
    expect(hits).toEqual([]);
  });

  it("flags every injection case at the veto level", () => {
    for (const s of injected) expect(detectInjection(s.payload.logs, "veto").length, s.id).toBeGreaterThan(0);
  });
});
