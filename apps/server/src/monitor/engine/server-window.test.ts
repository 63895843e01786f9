import { describe, expect, it } from "vitest";
import { BLOCK_POINTS, decodeValue, encodeValue, RECENT_POINTS, ServerWindow, WINDOW_STRIDE } from "./server-window.js";

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

describe("ServerWindow in two resolutions", () => {
  const v = new Float64Array(WINDOW_STRIDE - 2);
  const fill = (w: ServerWindow, n: number, value: (i: number) => number, status = (_i: number) => 0) => {
    for (let i = 0; i < n; i++) {
      v.fill(value(i));
      w.push(i * 60_000, v, (i % 2) * 0.5, status(i));
    }
  };

  it("keeps the newest points as they came and older ones as blocks that sum to the points covered", () => {
    const w = new ServerWindow(2880);
    fill(w, 3000, (i) => i % 100);
    expect(w.points).toBeLessThanOrEqual(2880);
    expect(w.points).toBeGreaterThan(2880 - BLOCK_POINTS);
    let covered = 0;
    for (let i = 0; i < w.length; i++) covered += w.weightAt(i);
    expect(covered).toBe(w.points);
    // The newest RECENT_POINTS entries are single points, in order, at full resolution.
    for (let k = 1; k <= RECENT_POINTS; k++) {
      const i = w.length - k;
      expect(w.weightAt(i)).toBe(1);
      expect(w.timeAt(i)).toBe((3000 - k) * 60_000);
      expect(w.valueAt(i, 0)).toBeCloseTo((3000 - k) % 100, 1);
    }
    // Entries stay in time order; blocks hold BLOCK_POINTS points and their mean values.
    for (let i = 1; i < w.length; i++) expect(w.timeAt(i)).toBeGreaterThan(w.timeAt(i - 1));
    const first = w.timeAt(0) / 60_000;
    expect(w.weightAt(0)).toBe(BLOCK_POINTS);
    const mean =
      Array.from({ length: BLOCK_POINTS }, (_, k) => (first + k) % 100).reduce((a, b) => a + b) / BLOCK_POINTS;
    expect(w.valueAt(0, 0)).toBeCloseTo(mean, 1);
    expect(w.valueAt(0, WINDOW_STRIDE - 2)).toBeCloseTo(0.25, 2);
    // ~9 KB instead of 2,880 × 22 bytes.
    expect(w.length).toBeLessThan(RECENT_POINTS + 2880 / BLOCK_POINTS + 2);
    expect(w.bytes).toBeLessThan(12_000);
  });

  it("gives a block its most frequent status", () => {
    const w = new ServerWindow(400);
    fill(
      w,
      400,
      () => 10,
      (i) => (i % BLOCK_POINTS < 7 ? 3 : 1),
    );
    expect(w.valueAt(0, WINDOW_STRIDE - 1)).toBe(3);
  });

  it("stays one resolution when maxSize is small", () => {
    const w = new ServerWindow(RECENT_POINTS);
    fill(w, 500, (i) => i);
    expect(w.length).toBe(RECENT_POINTS);
    for (let i = 0; i < w.length; i++) expect(w.weightAt(i)).toBe(1);
  });

  it("reads the same entries whatever buffers it started with (growth copies whole runs of the ring)", () => {
    const v = new Float64Array(WINDOW_STRIDE - 2);
    for (const maxSize of [100, 2880]) {
      const windows = [1, 3, 8, 64, maxSize].map((cap) => new ServerWindow(maxSize, cap));
      for (let i = 0; i < 3100; i++) {
        for (let k = 0; k < v.length; k++) v[k] = ((i * (k + 3)) % 101) + 0.25;
        for (const w of windows) w.push(i * 60_000, v, (i % 17) / 17, i % 8);
        if (i % 397 !== 0 && i !== 3099) continue;
        const ref = windows[windows.length - 1] as ServerWindow;
        for (const w of windows) {
          expect(w.length).toBe(ref.length);
          for (let e = 0; e < ref.length; e++) {
            expect(w.timeAt(e)).toBe(ref.timeAt(e));
            expect(w.weightAt(e)).toBe(ref.weightAt(e));
            for (let f = 0; f < WINDOW_STRIDE; f++) expect(w.valueAt(e, f)).toBe(ref.valueAt(e, f));
          }
        }
      }
    }
  });
});
