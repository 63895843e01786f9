import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./login-throttle.js";

describe("LoginThrottle", () => {
  const limits = { perAccount: 3, perIp: 5, windowMs: 60_000 };

  it("holds an account after its failures, until the oldest counted failure leaves the window", () => {
    let now = 0;
    const t = new LoginThrottle(limits, () => now);
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      expect(t.retryAfter("a@x", "1.1.1.1")).toBe(0);
      t.failed("a@x", "1.1.1.1");
    }
    expect(t.retryAfter("a@x", "2.2.2.2")).toBe(40);
    now = 60_001;
    expect(t.retryAfter("a@x", "2.2.2.2")).toBe(0);
  });

  it("holds an IP spraying many accounts; a success clears the account, not the IP", () => {
    let now = 0;
    const t = new LoginThrottle(limits, () => now);
    for (let i = 0; i < 5; i++) t.failed(`u${i}@x`, "9.9.9.9");
    expect(t.retryAfter("fresh@x", "9.9.9.9")).toBeGreaterThan(0);
    expect(t.retryAfter("fresh@x", "8.8.8.8")).toBe(0);
    t.failed("b@x", "7.7.7.7");
    t.failed("b@x", "7.7.7.7");
    t.succeeded("b@x");
    t.failed("b@x", "6.6.6.6");
    expect(t.retryAfter("b@x", "6.6.6.6")).toBe(0);
    now = 1;
    expect(t.retryAfter("other@x", "9.9.9.9")).toBe(60);
  });
});
