import { describe, expect, it } from "vitest";
import { ServerWindow, WINDOW_STRIDE } from "./server-window.js";

describe("ServerWindow", () => {
  it("grows on demand, never beyond maxSize, and keeps the newest points in order", () => {
    const w = new ServerWindow(100, 8);
    const v = new Float64Array(WINDOW_STRIDE - 2);
    for (let i = 0; i < 250; i++) {
      v[0] = i;
      w.push(i * 1000, v, i / 1000, i % 8);
    }
    expect(w.length).toBe(100);
    expect(w.capacity).toBe(100);
    expect(w.timeAt(0)).toBe(150_000);
    expect(w.timeAt(99)).toBe(249_000);
    expect(w.valueAt(0, 0)).toBe(150);
    expect(w.valueAt(99, WINDOW_STRIDE - 1)).toBe(249 % 8);
  });
});
