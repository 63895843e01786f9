import { describe, expect, it } from "vitest";
import { decodeValue, encodeValue, ServerWindow, WINDOW_STRIDE } from "./server-window.js";

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
    expect(w.valueAt(0, 0)).toBeCloseTo(150, 1);
    expect(w.valueAt(99, WINDOW_STRIDE - 2)).toBeCloseTo(0.249, 2);
    expect(w.valueAt(99, WINDOW_STRIDE - 1)).toBe(249 % 8);
    expect(w.bytes).toBe(100 * 22);
  });

  it("keeps values to (1 + x)/9,400 from 0 to a million and clamps beyond", () => {
    for (const x of [0, 0.001, 0.5, 3.7, 49.99, 100, 655.36, 12_345.6, 1_000_000]) {
      const back = decodeValue(encodeValue(x));
      expect(Math.abs(back - x)).toBeLessThanOrEqual((1 + x) * 1.07e-4);
    }
    expect(encodeValue(-5)).toBe(0);
    expect(encodeValue(Number.NaN)).toBe(0);
    expect(decodeValue(encodeValue(1e9))).toBeLessThan(1e9);
  });

  it("keeps times before the first point's and after it (seconds from the first)", () => {
    const w = new ServerWindow(4);
    const v = new Float64Array(WINDOW_STRIDE - 2);
    const t0 = Date.UTC(2025, 0, 1);
    w.push(t0, v, 0, 0);
    w.push(t0 + 90 * 86_400_000, v, 0, 0);
    expect(w.timeAt(0)).toBe(t0);
    expect(w.timeAt(1)).toBe(t0 + 90 * 86_400_000);
  });
});
