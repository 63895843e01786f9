import { describe, expect, it } from "vitest";
import { ConnectionLimiter } from "./connection-limiter.js";

describe("ConnectionLimiter", () => {
  it("gives each holder at most `max` slots, frees one on release (once), and keeps holders apart", () => {
    const l = new ConnectionLimiter(2);
    const a1 = l.acquire("api_key:a");
    const a2 = l.acquire("api_key:a");
    expect(a1 && a2).toBeTruthy();
    expect(l.acquire("api_key:a")).toBeNull();
    expect(l.acquire("api_key:b")).not.toBeNull();
    a1?.();
    a1?.();
    expect(l.count("api_key:a")).toBe(1);
    expect(l.acquire("api_key:a")).not.toBeNull();
    expect(l.acquire("api_key:a")).toBeNull();
    expect(l.reason).toContain("at most 2");
  });
});
