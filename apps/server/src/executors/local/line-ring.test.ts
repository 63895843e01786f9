import { describe, expect, it } from "vitest";
import { LineRing } from "./line-ring.js";

describe("LineRing", () => {
  it("joins lines split across chunks and keeps streams apart", () => {
    const ring = new LineRing(10);
    ring.write("stdout", "hel");
    ring.write("stderr", "oops\nerr-par");
    ring.write("stdout", "lo\r\nworld\n");
    expect(ring.tail(10)).toEqual(["oops", "hello", "world"]);
    ring.flush();
    expect(ring.tail(1)).toEqual(["err-par"]);
  });

  it("keeps only the last capacity lines", () => {
    const ring = new LineRing(3);
    for (let i = 0; i < 10; i++) ring.push(`line ${i}`);
    expect(ring.tail(100)).toEqual(["line 7", "line 8", "line 9"]);
    expect(ring.tail(2)).toEqual(["line 8", "line 9"]);
    expect(ring.tail(0)).toEqual([]);
  });
});
