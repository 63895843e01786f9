import { describe, expect, it } from "vitest";
import { TimeSlicer } from "./time-slicer.js";

describe("TimeSlicer", () => {
  it("is due after maxSteps steps while the budget lasts, and a pause starts over", async () => {
    const p = new TimeSlicer(10, 60_000);
    expect(p.due(4)).toBe(false);
    expect(p.due(5)).toBe(false);
    expect(p.due(1)).toBe(true);
    await p.pause();
    expect(p.due(9)).toBe(false);
  });

  it("is due once the time budget is spent, whatever the steps", async () => {
    const p = new TimeSlicer(1_000_000, 5);
    expect(p.due()).toBe(false);
    const end = performance.now() + 6;
    while (performance.now() < end) {
      // busy: the budget runs out
    }
    expect(p.due()).toBe(true);
    await p.pause();
    expect(p.due()).toBe(false);
  });

  it("pauses for one turn of the event loop: a pending immediate runs first", async () => {
    const p = new TimeSlicer(1);
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await p.pause();
    expect(ran).toBe(true);
  });
});
