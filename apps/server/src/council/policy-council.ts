import type { CouncilDecision, CouncilRole, CouncilVote } from "@aegis/contracts";
import { reviewAudit } from "./audit-review.js";
import { type CouncilPolicy, type CouncilPolicyOverrides, defaultCouncilPolicy } from "./council-policy.js";
import type { Council, CouncilInput } from "./council-port.js";
import { decideFinalVerdict } from "./final-verdict.js";
import { type PolicyFinding, worstVerdict } from "./policy-finding.js";
import { reviewSecurity } from "./security-review.js";
import { sreAgentVote } from "./sre-agent-vote.js";

export { matchesTarget } from "../safety/matches-target.js";
export { defaultCouncilPolicy } from "./council-policy.js";

/**
 * The council: SRE_AGENT speaks for the proposal, SECURITY_OFFICER (veto) and AUDITOR apply a
 * deterministic hard policy the analyst cannot talk its way around.
 */
export class PolicyCouncil implements Council {
  readonly policy: CouncilPolicy;

  constructor(
    policy: CouncilPolicyOverrides = {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.policy = defaultCouncilPolicy(policy);
  }

  async review(input: CouncilInput, onVote: (vote: CouncilVote) => void): Promise<CouncilDecision> {
    // Everything is decided before the first vote is announced, so listeners cannot change the outcome.
    const security = reviewSecurity(input, this.policy);
    const audit = reviewAudit(input, this.policy);
    const drafts = [
      sreAgentVote(input, this.policy),
      memberVote("SECURITY_OFFICER", security.findings, security.notes),
      memberVote("AUDITOR", audit.findings, audit.notes),
    ];
    const votes: CouncilVote[] = [];
    for (const draft of drafts) {
      const vote: CouncilVote = { ...draft, timestamp: this.now().toISOString() };
      votes.push(vote);
      onVote(vote);
    }
    return { votes, ...decideFinalVerdict(votes, [...security.findings, ...audit.findings]) };
  }
}

function memberVote(
  role: CouncilRole,
  findings: readonly PolicyFinding[],
  notes: readonly string[],
): Omit<CouncilVote, "timestamp"> {
  const verdict = worstVerdict(findings);
  const lines = findings.length > 0 ? findings.map((f) => f.reason) : notes;
  return { role, verdict, reasoning: lines.join("; ") };
}
