import type { CouncilDecision, CouncilRole, CouncilVote } from "@aegis/contracts";
import type { Council, CouncilInput } from "../ports/council.js";
import type { SecondOpinion } from "../ports/second-opinion.js";
import { reviewAudit } from "./audit-review.js";
import { type CouncilPolicy, type CouncilPolicyOverrides, defaultCouncilPolicy } from "./council-policy.js";
import { type Grounding, groundProposal, ungrounded } from "./evidence-grounding.js";
import { decideFinalVerdict } from "./final-verdict.js";
import { type PolicyFinding, worstVerdict } from "./policy-finding.js";
import { reviewSecurity } from "./security-review.js";
import { sreAgentVote } from "./sre-agent-vote.js";

export { defaultCouncilPolicy } from "./council-policy.js";

/**
 * The council: SRE_AGENT speaks for the proposal, SECURITY_OFFICER (veto) and AUDITOR apply a
 * deterministic hard policy the analyst cannot talk its way around. The vote is grounded in the
 * council's own reading of the evidence (the second opinion), never in what the proposer says about
 * its own diagnosis, confidence or evidence.
 */
export class PolicyCouncil implements Council {
  readonly policy: CouncilPolicy;

  constructor(
    policy: CouncilPolicyOverrides,
    private readonly secondOpinion: SecondOpinion,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.policy = defaultCouncilPolicy(policy);
  }

  async review(input: CouncilInput, onVote: (vote: CouncilVote) => void): Promise<CouncilDecision> {
    const grounding = await this.ground(input);
    // Everything is decided before the first vote is announced, so listeners cannot change the outcome.
    const security = reviewSecurity(input, this.policy);
    const audit = reviewAudit(input, this.policy, grounding);
    const drafts = [
      sreAgentVote(input, this.policy, grounding),
      memberVote("SECURITY_OFFICER", security.findings, security.notes),
      memberVote("AUDITOR", audit.findings, audit.notes),
    ];
    const votes: CouncilVote[] = [];
    for (const draft of drafts) {
      const vote: CouncilVote = { ...draft, timestamp: this.now().toISOString() };
      votes.push(vote);
      onVote(vote);
    }
    return {
      votes,
      ...decideFinalVerdict(votes, [...security.findings, ...audit.findings]),
      evidence_check: grounding.check,
    };
  }

  private async ground(input: CouncilInput): Promise<Grounding> {
    try {
      return groundProposal(input, await this.secondOpinion.read(input.incident), this.policy);
    } catch (err) {
      return ungrounded(input, err instanceof Error ? err.message : String(err));
    }
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
