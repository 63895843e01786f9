import { describe, expect, it } from "vitest";
import { BuiltinAnalyst } from "../builtin/builtin-analyst.js";
import { incident, recordingSink } from "../builtin/test-helpers.js";
import { BuiltinLink } from "./builtin-link.js";
import { Redactor } from "./redactor.js";

describe("BuiltinLink", () => {
  it("completes the builtin answer with a ranked hypothesis, citations and a playbook, all redacted", async () => {
    const sink = recordingSink();
    const logs =
      "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory (user ops@example.com, password=hunter2)\nheap used 1900MB of 2048MB; full GC reclaims <1%";
    const r = await new BuiltinLink(new BuiltinAnalyst(), new Redactor()).analyse(
      incident(logs, { containerName: "buggy-app-v2" }),
      sink,
      new AbortController().signal,
    );
    expect(r.analysis.action).toBe("RESTART");
    expect(r.hypotheses).toHaveLength(1);
    expect(r.hypotheses[0]).toMatchObject({ rank: 1, confidence: r.analysis.confidence });
    // The hypothesis states the redacted analysis as it is (each text redacted once, not twice).
    expect(r.hypotheses[0]).toMatchObject({
      claim: r.analysis.root_cause,
      description: r.analysis.justification,
      supportingEvidence: r.evidence,
    });
    expect(r.citations[0]).toMatchObject({ source: "logs" });
    expect(r.commands.map((c) => [c.command, c.safe_to_run])).toContainEqual([
      "kubectl rollout restart deployment/buggy-app-v2",
      false,
    ]);
    const everything = JSON.stringify(r) + sink.tokens.join("") + sink.thoughts.join("");
    expect(everything).not.toContain("ops@example.com");
    expect(everything).not.toContain("hunter2");
  });

  it("redacts what it streams as a whole text: a secret split across two words does not reach the stream", async () => {
    const sink = recordingSink();
    // "password: hunter2" streams as two words; redacted word by word, the second would go out as it is.
    const logs =
      "FATAL ERROR (db password: hunter2): Reached heap limit Allocation failed - JavaScript heap out of memory\nheap used 1900MB of 2048MB; full GC reclaims <1%";
    const r = await new BuiltinLink(new BuiltinAnalyst(), new Redactor()).analyse(
      incident(logs, { containerName: "buggy-app-v2" }),
      sink,
      new AbortController().signal,
    );
    const streamed = sink.tokens.join("");
    expect(streamed).toContain("password: [REDACTED:secret]");
    expect(streamed).not.toContain("hunter2");
    // The stream is the stored justification, word for word.
    expect(streamed).toBe(r.analysis.justification);
    expect(sink.tokens.length).toBeGreaterThan(5);
  });
});
