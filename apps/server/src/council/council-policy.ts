import { ActionType } from "@aegis/contracts";
import { detectInjection, type InjectionDetector } from "../safety/detect-injection.js";
import { TargetProtection } from "../safety/target-protection.js";

/** The council's hard policy. Passed in by the composition root; nothing here reads the environment. */
export interface CouncilPolicy {
  /** Actions the council may ever approve; anything else is rejected. */
  allowedActions: readonly ActionType[];
  /** Which targets a human must decide about (stores, operator patterns, labels) or nobody may touch (AegisOps). */
  protection: TargetProtection;
  /** Upper bound for SCALE_UP replica_count; above it the proposal is rejected, never clamped. */
  maxReplicas: number;
  /** Restarts of one target per hour after which another RESTART needs a human. */
  restartBudgetPerHour: number;
  /** Below this confidence no action is taken without a human. */
  minConfidence: number;
  /** Below this confidence, risky actions backed by thin evidence need a human. */
  reviewConfidence: number;
  /** Veto-level injection detector for everything the alert sender controls. */
  detectInjection: InjectionDetector;
}

export type CouncilPolicyOverrides = Partial<CouncilPolicy>;

/** A complete policy: safe defaults with the given overrides applied and checked. */
export function defaultCouncilPolicy(overrides: CouncilPolicyOverrides = {}): CouncilPolicy {
  const policy: CouncilPolicy = {
    allowedActions: [...ActionType.options],
    protection: new TargetProtection(),
    maxReplicas: 5,
    restartBudgetPerHour: 3,
    minConfidence: 0.5,
    reviewConfidence: 0.7,
    detectInjection: (text) => detectInjection(text, "veto"),
    ...overrides,
  };
  validate(policy);
  return policy;
}

// A misconfigured safety policy must fail at startup, not quietly approve everything.
function validate(policy: CouncilPolicy): void {
  const unknown = policy.allowedActions.filter((action) => !ActionType.options.includes(action));
  if (unknown.length > 0) throw new RangeError(`council policy: unknown actions ${unknown.join(", ")}`);
  if (!Number.isInteger(policy.maxReplicas) || policy.maxReplicas < 1) {
    throw new RangeError(`council policy: maxReplicas must be a positive integer, got ${policy.maxReplicas}`);
  }
  if (!Number.isInteger(policy.restartBudgetPerHour) || policy.restartBudgetPerHour < 1) {
    throw new RangeError(
      `council policy: restartBudgetPerHour must be a positive integer, got ${policy.restartBudgetPerHour}`,
    );
  }
  for (const [name, value] of [
    ["minConfidence", policy.minConfidence],
    ["reviewConfidence", policy.reviewConfidence],
  ] as const) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`council policy: ${name} must be within 0..1, got ${value}`);
  }
  if (policy.reviewConfidence < policy.minConfidence) {
    throw new RangeError("council policy: reviewConfidence must not be below minConfidence");
  }
}
