import type { Executor } from "../ports/executor.js";

export interface VerifyOptions {
  timeoutMs: number;
  maxAttempts: number;
  /** Delay before attempt n+1 is baseDelayMs × 2^(n-1), capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface VerifyResult {
  healthy: boolean;
  attempts: number;
  detail: string;
}

/** Probes a target until it is healthy or the attempts run out, reporting every attempt. */
export async function verifyHealth(
  executor: Executor,
  target: string,
  opts: VerifyOptions,
  onAttempt: (attempt: number, healthy: boolean, detail: string) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<VerifyResult> {
  let detail = "no probe ran";
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    let healthy = false;
    try {
      const probe = await executor.probe(target, opts.timeoutMs);
      healthy = probe.healthy;
      detail = probe.detail;
    } catch (err) {
      detail = err instanceof Error ? err.message : String(err);
    }
    onAttempt(attempt, healthy, detail);
    if (healthy) return { healthy: true, attempts: attempt, detail };
    if (attempt < opts.maxAttempts) await sleep(Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1)));
  }
  return { healthy: false, attempts: opts.maxAttempts, detail };
}
