/** What the logs themselves say about a target already restarting in a loop. */
export interface CrashLoopEvidence {
  /** Highest restart or back-off count quoted in the logs, null when none is quoted. */
  restarts: number | null;
  /** The orchestrator reports a back-off loop (CrashLoopBackOff, "Back-off restarting failed container"). */
  backOff: boolean;
}

const COUNT_PATTERNS: readonly RegExp[] = [
  // kubelet / kubectl describe: "restartCount=5", "Restart Count:  6", "restart_count: 4"
  /\brestart[_ ]?count\s*[=:]\s*(\d+)/gi,
  // kubectl events: "Back-off restarting failed container … (x9 over 6m)"
  /back-?off\b[^\n]*?\(x(\d+)\s+over\b/gi,
  /\(x(\d+)\s+over\b[^\n]*?back-?off/gi,
];
const BACK_OFF = /\bCrashLoopBackOff\b|\bback-?off restarting failed container\b/i;

/**
 * Restart evidence quoted in the logs, for clients that send no `context.restarts_last_hour`.
 * Forged counts can only make the council more cautious (a RESTART goes to a human), never less.
 */
export function crashLoopEvidence(logs: string): CrashLoopEvidence {
  let restarts: number | null = null;
  for (const pattern of COUNT_PATTERNS) {
    for (const match of logs.matchAll(pattern)) {
      const count = Number.parseInt(match[1] ?? "", 10);
      if (Number.isFinite(count)) restarts = Math.max(restarts ?? 0, count);
    }
  }
  return { restarts, backOff: BACK_OFF.test(logs) };
}
