import { describe, expect, it } from "vitest";
import { containerEvidence } from "./container-evidence.js";

describe("a container's runtime evidence", () => {
  it("words an OOM kill as kubectl describe does, with the engine's events and logs", () => {
    const e = containerEvidence(
      "buggy-app-v2",
      {
        target: "buggy-app-v2",
        id: "0123456789abcdef0123",
        image: "aegisops/buggy-app:v2",
        status: "exited",
        exitCode: 137,
        oomKilled: true,
        restartCount: 3,
        startedAt: "2026-12-06T07:00:00Z",
        finishedAt: "2026-12-06T07:05:00Z",
        error: null,
      },
      [
        { at: "2026-12-06T07:05:00.000Z", action: "oom", detail: { image: "aegisops/buggy-app:v2" } },
        { at: "2026-12-06T07:05:00.100Z", action: "die", detail: { exitCode: "137", execDuration: "300" } },
      ],
      "heap grows\nFATAL ERROR: Reached heap limit",
    );
    expect(e.describe).toContain("Reason:       OOMKilled");
    expect(e.describe).toContain("Exit Code:    137");
    expect(e.describe).toContain("Restart Count:  3");
    expect(e.events.split("\n")).toEqual([
      "2026-12-06T07:05:00.000Z  Warning  oom  image=aegisops/buggy-app:v2",
      "2026-12-06T07:05:00.100Z  Warning  die  exitCode=137",
    ]);
    expect(e.logs).toContain("Reached heap limit");
    expect(e.humanOnly).toBeNull();
  });

  it("a running container has no reason or exit code", () => {
    const e = containerEvidence(
      "api",
      {
        target: "api",
        id: "abc",
        image: "api:1",
        status: "running",
        exitCode: null,
        oomKilled: false,
        restartCount: 0,
        startedAt: null,
        finishedAt: null,
        error: null,
      },
      [],
      "",
    );
    expect(e.describe).not.toContain("Reason");
    expect(e.describe).not.toContain("Exit Code");
    expect(e.events).toBe("");
  });
});
