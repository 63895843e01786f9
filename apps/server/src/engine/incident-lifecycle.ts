import type { LifecycleState } from "@aegis/contracts";

/**
 * The human lifecycle and its allowed moves. Forward steps may be skipped (a false alarm goes from
 * `detected` straight to `resolved`), a fix that did not hold goes back to `investigating`, and
 * `learned` (the post-incident review is done) is final.
 */
const NEXT: Record<LifecycleState, readonly LifecycleState[]> = {
  detected: ["acknowledged", "investigating", "mitigated", "resolved", "inconclusive"],
  acknowledged: ["investigating", "mitigated", "resolved", "inconclusive"],
  investigating: ["mitigated", "resolved", "inconclusive"],
  mitigated: ["investigating", "resolved", "inconclusive"],
  resolved: ["learned", "investigating"],
  inconclusive: ["investigating", "learned"],
  learned: [],
};

export function allowedFrom(state: LifecycleState): readonly LifecycleState[] {
  return NEXT[state];
}

/** When the incident first reached each milestone: leaving `detected` at all acknowledges it, resolving it also mitigates it. */
export interface Milestones {
  acknowledgedAt: Date | null;
  investigatingAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
}

export function milestonesOf(transitions: readonly { fromState: string; toState: string; at: Date }[]): Milestones {
  const first = (pred: (t: { fromState: string; toState: string }) => boolean) => transitions.find(pred)?.at ?? null;
  return {
    acknowledgedAt: first((t) => t.fromState === "detected"),
    investigatingAt: first((t) => t.toState === "investigating"),
    mitigatedAt: first((t) => t.toState === "mitigated" || t.toState === "resolved"),
    resolvedAt: first((t) => t.toState === "resolved"),
  };
}
