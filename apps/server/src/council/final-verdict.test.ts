import type { CouncilVote, Verdict } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { decideFinalVerdict } from "./final-verdict.js";
import type { PolicyFinding } from "./policy-finding.js";

const at = "2026-02-21T03:15:00.000Z";
function votes(sre: Verdict, security: Verdict, auditor: Verdict): CouncilVote[] {
  return [
    { role: "SRE_AGENT", verdict: sre, reasoning: "r", timestamp: at },
    { role: "SECURITY_OFFICER", verdict: security, reasoning: "r", timestamp: at },
    { role: "AUDITOR", verdict: auditor, reasoning: "r", timestamp: at },
  ];
}

describe("decideFinalVerdict", () => {
  it("approves on 3/3 without violations", () => {
    expect(decideFinalVerdict(votes("APPROVED", "APPROVED", "APPROVED"), [])).toEqual({
      final_verdict: "APPROVED",
      consensus: true,
      summary: "Council voted 3/3 APPROVED. Final: APPROVED",
    });
  });

  it("rejects without a 2/3 majority", () => {
    const d = decideFinalVerdict(votes("APPROVED", "APPROVED", "REJECTED").slice(1, 3), []);
    expect(d.final_verdict).toBe("REJECTED");
    expect(d.consensus).toBe(false);
    expect(d.summary).toBe("Council voted 1/2 APPROVED. Final: REJECTED (no 2/3 majority)");
  });

  it("treats a security REJECTED as a veto even with a 2/3 majority", () => {
    const finding: PolicyFinding = { rule: "self_target", role: "SECURITY_OFFICER", verdict: "REJECTED", reason: "x" };
    const d = decideFinalVerdict(votes("APPROVED", "REJECTED", "APPROVED"), [finding]);
    expect(d).toMatchObject({ final_verdict: "REJECTED", consensus: true });
    expect(d.summary).toBe("Council voted 2/3 APPROVED. Final: REJECTED (security veto: target is AegisOps itself)");
    expect(d.policy_violations).toEqual(["self_target (SECURITY_OFFICER REJECTED): x"]);
  });

  it("asks for review when any member does, even without a finding", () => {
    const d = decideFinalVerdict(votes("NEEDS_REVIEW", "APPROVED", "APPROVED"), []);
    expect(d.final_verdict).toBe("NEEDS_REVIEW");
    expect(d.summary).toBe(
      "Council voted 2/3 APPROVED. Final: NEEDS_REVIEW (human review: a council member asked for review)",
    );
  });
});
