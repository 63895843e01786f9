import { describe, expect, it } from "vitest";
import { crashLoopEvidence } from "./crash-loop-evidence.js";

describe("crashLoopEvidence", () => {
  it("reads kubelet and kubectl restart counts", () => {
    expect(crashLoopEvidence("terminated: reason=OOMKilled exitCode=137 restartCount=5").restarts).toBe(5);
    expect(crashLoopEvidence("    Restart Count:  6\n").restarts).toBe(6);
    expect(crashLoopEvidence("restartCount=1\nrestartCount=3").restarts).toBe(3);
  });

  it("reads back-off event counts and flags the loop", () => {
    const events = "Warning  BackOff  2m (x14 over 9m)  kubelet  Back-off restarting failed container sms-sender";
    expect(crashLoopEvidence(events)).toEqual({ restarts: 14, backOff: true });
    const trailing = "Warning BackOff kubelet Back-off restarting failed container rate-limiter in pod x (x9 over 6m)";
    expect(crashLoopEvidence(trailing)).toEqual({ restarts: 9, backOff: true });
    expect(crashLoopEvidence('is in waiting state (reason: "CrashLoopBackOff")').backOff).toBe(true);
  });

  it("finds nothing in ordinary logs", () => {
    expect(crashLoopEvidence("GC(8851) Pause Full (Ergonomics) 2040M->2034M(2048M) 3902.114ms")).toEqual({
      restarts: null,
      backOff: false,
    });
  });
});
