import type { EvidenceCheck } from "@aegis/contracts";
import type { CouncilInput } from "../ports/council.js";
import type { IndependentReading } from "../ports/second-opinion.js";
import type { CouncilPolicy } from "./council-policy.js";
import type { PolicyFinding } from "./policy-finding.js";

/** The council's vote grounded in its own reading of the evidence rather than the proposer's self-report. */
export interface Grounding {
  check: EvidenceCheck;
  /** What the hard policy uses: the reading's confidence, which the proposer's own number can only lower. */
  confidence: number;
  /** The reading's diagnosis, which the policy uses instead of the category the proposer claims. */
  category: IndependentReading["category"];
  /** Facts the reading rests on (the proposer's evidence list is not counted). */
  evidence: readonly string[];
  finding: PolicyFinding | null;
  note: string;
}

/**
 * Whether the independent reading supports the proposed action. An action runs automatically only
 * when the evidence, as the council reads it, calls for it; a NOOP needs no support, unless the
 * evidence clearly calls for an action and doing nothing would hide a real fault from a human.
 */
export function groundProposal(input: CouncilInput, reading: IndependentReading, policy: CouncilPolicy): Grounding {
  const { analysis, category: claimed, provider } = input.proposal;
  const action = analysis.action;
  const confidence = Math.min(unit(analysis.confidence), unit(reading.confidence));
  const proposed = `${proposerOf(provider)} reads ${claimed} → ${action} at ${unit(analysis.confidence).toFixed(2)}`;
  const independent = `${reading.reader} reads ${reading.category} → ${reading.action} at ${unit(reading.confidence).toFixed(2)}`;
  const supportedList = reading.supportedActions.length > 0 ? reading.supportedActions.join(", ") : "no action";

  let finding: PolicyFinding | null = null;
  let supported: boolean;
  if (action === "NOOP") {
    supported = reading.action === "NOOP" || reading.confidence < policy.minConfidence;
    if (!supported) {
      finding = review(
        "unsupported_by_evidence",
        `the evidence calls for ${reading.action} (${independent}), the proposal does nothing (${proposed}): a human decides`,
      );
    }
  } else if (reading.category === "unknown") {
    supported = false;
    finding = review(
      "unknown_category",
      `the evidence establishes no diagnosis (${independent}), which does not justify ${action} (${proposed})`,
    );
  } else {
    supported = reading.supportedActions.includes(action);
    if (!supported) {
      finding = review(
        "unsupported_by_evidence",
        `${action} is not supported by the council's own reading of the evidence (${independent}; supports ${supportedList}); the proposal: ${proposed}`,
      );
    }
  }

  const check: EvidenceCheck = {
    proposal: { reader: proposerOf(provider), category: claimed, action, confidence: unit(analysis.confidence) },
    independent: {
      reader: reading.reader,
      category: reading.category,
      action: reading.action,
      confidence: unit(reading.confidence),
      supported_actions: [...reading.supportedActions],
      root_cause: reading.rootCause,
    },
    supported,
    policy_confidence: confidence,
  };
  const note = supported
    ? `evidence check: ${independent} (supports ${supportedList}), so ${action} is grounded; policy confidence ${confidence.toFixed(2)}`
    : `evidence check failed: ${independent}; proposal: ${proposed}`;
  return { check, confidence, category: reading.category, evidence: reading.evidence, finding, note };
}

/** The council reads nothing when its reader fails: nothing then runs without a human. */
export function ungrounded(input: CouncilInput, error: string): Grounding {
  const { analysis, category, provider } = input.proposal;
  const finding = review("unsupported_by_evidence", `the council could not read the evidence itself (${error})`);
  return {
    check: {
      proposal: {
        reader: proposerOf(provider),
        category,
        action: analysis.action,
        confidence: unit(analysis.confidence),
      },
      independent: {
        reader: "none",
        category: "unknown",
        action: "NOOP",
        confidence: 0,
        supported_actions: [],
        root_cause: `no independent reading: ${error}`,
      },
      supported: false,
      policy_confidence: 0,
    },
    confidence: 0,
    category: "unknown",
    evidence: [],
    finding,
    note: finding.reason,
  };
}

function review(rule: PolicyFinding["rule"], reason: string): PolicyFinding {
  return { rule, role: "AUDITOR", verdict: "NEEDS_REVIEW", reason };
}

/** Anything non-numeric counts as no confidence at all. */
function unit(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/** `openai:gpt-4o (after …)` → `openai:gpt-4o`. */
function proposerOf(provider: string): string {
  return provider.split(" ")[0] || "unknown";
}
