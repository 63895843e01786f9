import { labelProtection } from "./label-protection.js";
import { matchesTarget } from "./matches-target.js";
import { nameProtection } from "./name-protection.js";
import type { Protection } from "./protection.js";
import { stringLabels } from "./string-labels.js";

/** What is known about the target of an action. */
export interface ProtectionTarget {
  /** Names it goes by: container, resolved target, …; context.service is added. */
  names: readonly (string | null | undefined)[];
  /** The alert's context: `protected`, `service` and `labels` (any object; only string values count). */
  context?: { protected?: unknown; service?: unknown; labels?: unknown } | null;
  /** Labels from the runtime (an executor that inspected the container or pod); win over context.labels. */
  labels?: Readonly<Record<string, string>>;
}

/**
 * The one answer to "may the agent act on this target without a human?", shared by the analyst and
 * the council. Built once from configuration: the operator's patterns (PROTECTED_TARGETS) only add
 * to the defaults (AegisOps itself, stateful stores, declared labels, context.protected).
 */
export class TargetProtection {
  readonly operatorPatterns: readonly string[];

  constructor(operatorPatterns: readonly string[] = []) {
    const negated = operatorPatterns.find((pattern) => pattern.startsWith("!"));
    // Un-protecting by configuration is not supported; a "!" pattern would silently protect its rest.
    if (negated) throw new RangeError(`PROTECTED_TARGETS only adds protection; "${negated}" cannot un-protect`);
    this.operatorPatterns = operatorPatterns;
  }

  /** From PROTECTED_TARGETS: a comma list of patterns (`*` any characters, `?` one). */
  static fromList(list: string | undefined): TargetProtection {
    const patterns = (list ?? "")
      .split(",")
      .map((pattern) => pattern.trim())
      .filter((pattern) => pattern !== "");
    return new TargetProtection(patterns);
  }

  /**
   * Why the target is protected, or null. AegisOps itself wins over everything (its kind decides the
   * stronger veto); then the explicit flag, the operator's patterns, declared labels, and store names.
   */
  check(target: ProtectionTarget): Protection | null {
    const service = typeof target.context?.service === "string" ? target.context.service : null;
    const names = [...new Set([...target.names, service].map((name) => name?.trim() ?? "").filter((n) => n !== ""))];
    const byName = names.map(nameProtection).filter((p): p is Protection => p !== null);
    const shown = names.join(" / ") || "the target";
    const byLabel = labelProtection({ ...stringLabels(target.context?.labels), ...target.labels }, shown);
    return (
      byName.find((p) => p.kind === "self") ??
      (byLabel?.kind === "self" ? byLabel : null) ??
      (target.context?.protected === true
        ? { kind: "flagged", reason: `${shown} is flagged protected (context.protected is true)` }
        : null) ??
      this.operatorMatch(names) ??
      byLabel ??
      byName[0] ??
      null
    );
  }

  private operatorMatch(names: readonly string[]): Protection | null {
    for (const name of names) {
      const pattern = this.operatorPatterns.find((p) => matchesTarget(p, name));
      if (pattern)
        return { kind: "operator", pattern, reason: `${name} matches PROTECTED_TARGETS pattern "${pattern}"` };
    }
    return null;
  }
}
