import type { CouncilDecision, CouncilVote, FinalVerdict } from "@aegis/contracts";
import { describeFinding, type PolicyFinding, ruleLabel } from "./policy-finding.js";

/**
 * Combines votes under the hard policy: a security REJECTED is a veto; any other REJECTED rule also
 * rejects; any NEEDS_REVIEW hands over to a human; only then does the 2/3 majority decide.
 */
export function decideFinalVerdict(
  votes: readonly CouncilVote[],
  findings: readonly PolicyFinding[],
): Omit<CouncilDecision, "votes"> {
  const approved = votes.filter((vote) => vote.verdict === "APPROVED").length;
  const consensus = votes.length > 0 && approved * 3 >= votes.length * 2;
  const veto = findings.filter((f) => f.role === "SECURITY_OFFICER" && f.verdict === "REJECTED");
  const rejections = findings.filter((f) => f.verdict === "REJECTED");
  const reviews = findings.filter((f) => f.verdict === "NEEDS_REVIEW");
  const securityRejected = votes.some((v) => v.role === "SECURITY_OFFICER" && v.verdict === "REJECTED");

  let final: FinalVerdict;
  let why: string | null;
  if (securityRejected) {
    final = "REJECTED";
    why = `security veto: ${labels(veto) || "security officer rejected"}`;
  } else if (rejections.length > 0) {
    final = "REJECTED";
    why = `policy: ${labels(rejections)}`;
  } else if (reviews.length > 0 || votes.some((v) => v.verdict === "NEEDS_REVIEW")) {
    final = "NEEDS_REVIEW";
    why = `human review: ${labels(reviews) || "a council member asked for review"}`;
  } else if (consensus) {
    final = "APPROVED";
    why = null;
  } else {
    final = "REJECTED";
    why = "no 2/3 majority";
  }

  const decision: Omit<CouncilDecision, "votes"> = {
    final_verdict: final,
    consensus,
    summary: `Council voted ${approved}/${votes.length} APPROVED. Final: ${final}${why ? ` (${why})` : ""}`,
  };
  // Optional in the contract: left out when nothing forced the verdict, as in the seed's examples.
  if (findings.length > 0) decision.policy_violations = findings.map(describeFinding);
  return decision;
}

function labels(findings: readonly PolicyFinding[]): string {
  return [...new Set(findings.map((f) => ruleLabel(f.rule)))].join(", ");
}
