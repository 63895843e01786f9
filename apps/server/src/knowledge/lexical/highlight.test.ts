import { describe, expect, it } from "vitest";
import { highlight } from "./highlight.js";
import { tokenize } from "./tokenize.js";

const filler = (n: number) =>
  Array.from({ length: n }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}`).join(" ");

describe("highlight", () => {
  it("wraps matched words, whatever their inflection, in **", () => {
    const out = highlight("The pod was restarted because the container crashed.", tokenize("pods restarting crash"));
    expect(out).toContain("**pod**");
    expect(out).toContain("**restarted**");
    expect(out).toContain("**crashed**");
    expect(out).not.toContain("**container**");
  });

  it("picks the densest window of a long text and marks the cuts", () => {
    const text = `${filler(80)} the kubelet certificate expired on node a. ${filler(80)} certificate ${filler(80)}`;
    const out = highlight(text, tokenize("kubelet certificate expired"), { maxLength: 120 });
    expect(out.startsWith("…")).toBe(true);
    expect(out.endsWith("…")).toBe(true);
    expect(out).toContain("**kubelet** **certificate** **expired**");
    expect(out.replace(/\*\*/g, "").length).toBeLessThanOrEqual(120 + 2);
  });

  it("highlights an identifier and its parts as one span", () => {
    const out = highlight("Status is CrashLoopBackOff for etcd_disk_wal", tokenize("crash loop back off etcd disk"));
    expect(out).toContain("**CrashLoopBackOff**");
    expect(out).toContain("**etcd_disk**");
  });

  it("falls back to the start of the text when nothing matches", () => {
    const text = `First sentence here. ${filler(100)}`;
    const out = highlight(text, ["nomatch"], { maxLength: 60 });
    expect(out.startsWith("First sentence here.")).toBe(true);
    expect(out.endsWith("…")).toBe(true);
    expect(out).not.toContain("**");
  });

  it("returns short texts whole, whitespace collapsed", () => {
    expect(highlight("disk\n\n  full", tokenize("disk"))).toBe("**disk** full");
  });
});
