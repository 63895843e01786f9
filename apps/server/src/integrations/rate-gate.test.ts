import { describe, expect, it } from "vitest";
import { RateGate } from "./rate-gate.js";

describe("RateGate", () => {
  it("spaces calls of one key by the gap, in arrival order; other keys and zero gaps pass at once", async () => {
    const gate = new RateGate();
    const started = Date.now();
    const done: [string, number][] = [];
    await Promise.all([
      ...["a1", "a2", "a3"].map((id) => gate.wait("a", 100).then(() => done.push([id, Date.now() - started]))),
      gate.wait("b", 100).then(() => done.push(["b1", Date.now() - started])),
      gate.wait("a", 0).then(() => done.push(["a0", Date.now() - started])),
    ]);
    const at = Object.fromEntries(done);
    expect(at.b1).toBeLessThan(50);
    expect(at.a0).toBeLessThan(50);
    expect(at.a1).toBeLessThan(50);
    expect(at.a2).toBeGreaterThanOrEqual(95);
    expect(at.a3).toBeGreaterThanOrEqual(195);
    expect(done.map(([id]) => id).filter((id) => /^a[123]$/.test(id))).toEqual(["a1", "a2", "a3"]);
  });
});
