/**
 * Why a target must not be acted on automatically:
 * - self: AegisOps itself; acting on it would kill the pipeline doing the acting. Nothing un-protects it.
 * - store: a stateful store (or a component in its data path), recognised by name.
 * - operator: matches an operator pattern (PROTECTED_TARGETS).
 * - flagged: the alert says so (context.protected === true).
 * - label: the runtime or the alert declares it (Kubernetes / Docker labels).
 */
export type ProtectionKind = "self" | "store" | "operator" | "flagged" | "label";

export interface Protection {
  kind: ProtectionKind;
  /** A sentence naming the target and the pattern or label that protects it. */
  reason: string;
  /** The name pattern that matched, when a pattern decided. */
  pattern?: string;
}
