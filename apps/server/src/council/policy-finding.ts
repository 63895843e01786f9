import type { CouncilRole, Verdict } from "@aegis/contracts";
import { assertNever } from "../shared/errors.js";

/** Hard-policy rules; each one a council member checks deterministically. */
export type PolicyRule =
  | "allow_list"
  | "prompt_injection"
  | "self_target"
  | "protected_target"
  | "replica_cap"
  | "restart_budget"
  | "rollback_unavailable"
  | "low_confidence"
  | "thin_evidence"
  | "unknown_category"
  | "unsupported_by_evidence";

/** A rule the proposal breaks, the verdict it forces, and the facts behind it. */
export interface PolicyFinding {
  rule: PolicyRule;
  role: CouncilRole;
  verdict: Exclude<Verdict, "APPROVED">;
  reason: string;
}

/** REJECTED outranks NEEDS_REVIEW outranks APPROVED. */
export function worstVerdict(findings: readonly PolicyFinding[]): Verdict {
  if (findings.some((f) => f.verdict === "REJECTED")) return "REJECTED";
  if (findings.some((f) => f.verdict === "NEEDS_REVIEW")) return "NEEDS_REVIEW";
  return "APPROVED";
}

/** Short human label used in the decision summary. */
export function ruleLabel(rule: PolicyRule): string {
  switch (rule) {
    case "allow_list":
      return "action not allowed";
    case "prompt_injection":
      return "prompt injection in logs";
    case "self_target":
      return "target is AegisOps itself";
    case "protected_target":
      return "protected target";
    case "replica_cap":
      return "replica cap exceeded";
    case "restart_budget":
      return "restart budget exhausted";
    case "rollback_unavailable":
      return "no rollback available";
    case "low_confidence":
      return "low confidence";
    case "thin_evidence":
      return "thin evidence for a risky action";
    case "unknown_category":
      return "unknown diagnosis";
    case "unsupported_by_evidence":
      return "not supported by the evidence";
    default:
      return assertNever(rule);
  }
}

/** The `policy_violations` entry for a finding. */
export function describeFinding(finding: PolicyFinding): string {
  return `${finding.rule} (${finding.role} ${finding.verdict}): ${finding.reason}`;
}
