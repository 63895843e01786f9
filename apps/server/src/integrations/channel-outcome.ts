/** What one attempt to reach a channel's system came to. */
export interface SendOutcome {
  ok: boolean;
  /** HTTP status, or an SMTP reply code; null when nothing answered. */
  status: number | null;
  error: string | null;
  /** Worth another attempt (timeouts, 5xx, 429, SMTP 4xx); a refusal (4xx, bad key) is not. */
  retryable: boolean;
  /** The system asked to wait this long (HTTP `Retry-After`). */
  retryAfterMs?: number | undefined;
}

/** Whether an HTTP answer is worth retrying: rate limited, timed out, or a server-side failure. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** POST a JSON body; the answer's body (text) is handed to `judge`, which decides success and the error. */
export async function postJson(
  url: string,
  body: unknown,
  opts: {
    headers?: Record<string, string>;
    timeoutMs: number;
    judge?: (status: number, text: string) => string | null;
  },
): Promise<SendOutcome & { text: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", ...opts.headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    return { ok: false, status: null, error: reasonOf(err), retryable: true, text: "" };
  }
  const text = await res.text().catch(() => "");
  const error =
    opts.judge?.(res.status, text) ??
    (res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}${text ? `: ${text.slice(0, 300)}` : ""}`);
  return {
    ok: error === null,
    status: res.status,
    error,
    retryable: error !== null && retryableStatus(res.status),
    retryAfterMs: retryAfterMs(res.headers.get("retry-after")),
    text,
  };
}

/** A fetch failure's reason: the network cause (ECONNREFUSED…) rather than "fetch failed". */
export function reasonOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return "timed out";
  return e.cause?.code ?? e.cause?.message ?? e.message;
}
