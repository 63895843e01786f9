import { describe, expect, it } from "vitest";
import { stem } from "./stem.js";

describe("stem", () => {
  it("conflates inflections of one word", () => {
    for (const [a, b] of [
      ["restarting", "restarts"],
      ["restarted", "restart"],
      ["failure", "failed"],
      ["failing", "fails"],
      ["replicas", "replica"],
      ["latency", "latencies"],
      ["certificates", "certificate"],
      ["scheduled", "scheduling"],
      ["throttling", "throttled"],
    ] as const) {
      expect(stem(a), `${a} ~ ${b}`).toBe(stem(b));
    }
  });

  it("applies Porter rules", () => {
    expect(stem("connections")).toBe("connect");
    expect(stem("deployment")).toBe("deploy");
    expect(stem("crashlooping")).toBe("crashloop");
    expect(stem("relational")).toBe("relat");
  });

  it("does not strip singular -us/-is endings", () => {
    expect(stem("status")).toBe("status");
    expect(stem("redis")).toBe("redis");
  });

  it("leaves short words and words with digits alone", () => {
    expect(stem("pods")).toBe("pod");
    expect(stem("oom")).toBe("oom");
    expect(stem("x509")).toBe("x509");
    expect(stem("http2s")).toBe("http2s");
  });
});
