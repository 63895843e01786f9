type Tone = "ok" | "warn" | "bad" | "info";

const TONES: Record<string, Tone> = {
  RESOLVED: "ok",
  APPROVED: "ok",
  resolved: "ok",
  learned: "ok",
  mitigated: "ok",
  healthy: "ok",
  running: "ok",
  FAILED: "bad",
  REJECTED: "bad",
  critical: "bad",
  CRITICAL: "bad",
  exited: "bad",
  AWAITING_APPROVAL: "warn",
  NEEDS_REVIEW: "warn",
  detected: "warn",
  warning: "warn",
  WARNING: "warn",
  high: "warn",
  degraded: "warn",
};

/** A status in words with a colour; the word carries the meaning, the colour only helps. */
export function StatusBadge({ value }: { value: string | null | undefined }) {
  const v = value ?? "unknown";
  return <span className={`badge ${TONES[v] ?? "info"}`}>{v.replaceAll("_", " ")}</span>;
}
