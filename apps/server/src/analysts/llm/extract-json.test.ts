import { describe, expect, it } from "vitest";
import { validateDiagnosis } from "./diagnosis-schema.js";
import { extractJson } from "./extract-json.js";

describe("extractJson", () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['Here you go:\n```json\n{"a":1}\n```\nanything else?', { a: 1 }],
    ['<think>maybe {"a":0}? no</think>\n{"a":2}', { a: 2 }],
    ['Diagnosis: {"a":"brace } in a string","b":[1,2,]} trailing', { a: "brace } in a string", b: [1, 2] }],
    ['prose {not json} then {"a":3}', { a: 3 }],
  ])("finds the object in %j", (text, want) => {
    expect(extractJson(text)).toEqual(want);
  });

  it.each(["", "no json here", "[1,2,3]", '{"unclosed": true'])("gives up on %j", (text) => {
    expect(extractJson(text)).toBeUndefined();
  });
});

describe("validateDiagnosis", () => {
  const ok = { root_cause: "leak", action: "RESTART", justification: "heap grows", confidence: 0.8 };

  it("accepts a minimal answer and fills defaults", () => {
    const r = validateDiagnosis(ok, 5);
    expect(r.ok && r.diagnosis).toMatchObject({ replica_count: 0, category: "unknown", hypotheses: [], commands: [] });
  });

  it.each([
    [{ ...ok, action: "REBOOT" }, "action"],
    [{ ...ok, confidence: 1.2 }, "confidence"],
    [{ ...ok, confidence: -0.1 }, "confidence"],
    [{ ...ok, action: "SCALE_UP", replica_count: 6 }, "replica_count: must be at most 5"],
    [{ ...ok, action: "SCALE_UP", replica_count: 0 }, "replica_count: SCALE_UP needs at least 1"],
    [{ ...ok, root_cause: "" }, "root_cause"],
    [undefined, "(root)"],
  ])("rejects %j", (value, problem) => {
    const r = validateDiagnosis(value, 5);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join("; ")).toContain(problem);
  });
});
