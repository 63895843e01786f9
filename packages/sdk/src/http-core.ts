import { apiErrorFor, type ErrorEnvelope } from "./aegis-api-error.js";
import { nextDelay, parseRetryAfter, type RetryOptions, type RetryPolicy, retryPolicy } from "./retry-policy.js";

/** One HTTP exchange as it happened: any status, the body parsed as JSON when it is JSON. */
export interface RawResponse {
  status: number;
  // Loose on purpose: callers of the raw request assert on whatever shape the route returns.
  body: Record<string, unknown> & unknown[];
  headers: Headers;
}

export interface HttpCoreOptions {
  /** Sent as `X-API-Key`. */
  apiKey?: string | undefined;
  /** `fetch` to use (a test can script one); default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** A signed-in user's access token, read at each request and sent as `Authorization: Bearer`. */
  bearer?: (() => string | undefined) | undefined;
  /**
   * Called once when a request answers 401 (not for `/api/v1/auth/*`): true when it renewed the credential,
   * and the request is then sent again.
   */
  renew?: (() => Promise<boolean>) | undefined;
  /** Retries of 429/503 answers and of idempotent requests' network errors. */
  retry?: RetryOptions | undefined;
  /** Test hook: how a retry waits (default: a timer, cut short by the request's signal). */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

export interface RequestInit2 {
  signal?: AbortSignal | undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The one HTTP path of the SDK's clients: credentials, JSON, one renewal on 401, retries with backoff
 * honouring `Retry-After`, and typed errors (`apiErrorFor`) for non-2xx answers.
 */
export class HttpCore {
  readonly url: string;
  readonly apiKey: string | undefined;
  readonly retry: RetryPolicy;
  private readonly fetch: typeof fetch;
  private readonly bearer: (() => string | undefined) | undefined;
  private readonly renew: (() => Promise<boolean>) | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(url: string, options: HttpCoreOptions = {}, retryDefaults?: RetryPolicy) {
    this.url = url.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    // A browser's global fetch must be called unbound (an "Illegal invocation" otherwise).
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.bearer = options.bearer;
    this.renew = options.renew;
    this.retry = retryPolicy(options.retry, retryDefaults);
    this.sleep = options.sleep ?? sleep;
  }

  /** The current bearer token, if any. */
  token(): string | undefined {
    return this.bearer?.();
  }

  /** Any route, any status: never throws on an HTTP status (only on a network failure once retries are spent). */
  async request(method: string, path: string, body?: unknown, init: RequestInit2 = {}): Promise<RawResponse> {
    for (let attempt = 1; ; attempt++) {
      let r: RawResponse;
      try {
        r = await this.once(method, path, body, init);
      } catch (e) {
        if (init.signal?.aborted) throw e;
        const wait = nextDelay(this.retry, attempt, method, undefined, undefined);
        if (wait === undefined) throw e;
        await this.sleep(wait, init.signal);
        continue;
      }
      const wait = nextDelay(this.retry, attempt, method, r.status, this.retryAfterMs(r));
      if (wait === undefined) return r;
      await this.sleep(wait, init.signal);
    }
  }

  /** `request` that returns the body as `T` on 2xx and throws the status's `AegisApiError` otherwise. */
  async call<T>(method: string, path: string, body?: unknown, init: RequestInit2 = {}): Promise<T> {
    const r = await this.request(method, path, body, init);
    if (r.status < 200 || r.status > 299) throw this.error(method, path, r);
    return r.body as unknown as T;
  }

  /** The typed error of a non-2xx answer. */
  error(method: string, path: string, r: RawResponse) {
    return apiErrorFor(method, path, r.status, r.body as unknown as ErrorEnvelope, r.headers);
  }

  /** `Retry-After`, else the seed envelope's `retry_after` (seconds), in milliseconds. */
  private retryAfterMs(r: RawResponse): number | undefined {
    const header = parseRetryAfter(r.headers.get("retry-after"));
    if (header !== undefined) return header;
    const b = r.body as unknown as Record<string, unknown> | null;
    if (!b || typeof b !== "object") return undefined;
    const nested = b.error && typeof b.error === "object" ? (b.error as Record<string, unknown>) : undefined;
    const details = b.details && typeof b.details === "object" ? (b.details as Record<string, unknown>) : undefined;
    const s = nested?.retry_after ?? b.retry_after ?? details?.retry_after;
    return typeof s === "number" && s >= 0 ? s * 1000 : undefined;
  }

  /** One exchange, renewing the credential once on a 401. */
  private async once(method: string, path: string, body: unknown, init: RequestInit2): Promise<RawResponse> {
    const first = await this.send(method, path, body, init);
    if (first.status !== 401 || !this.renew || path.startsWith("/api/v1/auth/")) return first;
    return (await this.renew()) ? this.send(method, path, body, init) : first;
  }

  private async send(method: string, path: string, body: unknown, init: RequestInit2): Promise<RawResponse> {
    const token = this.bearer?.();
    const res = await this.fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(this.apiKey ? { "x-api-key": this.apiKey } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body),
      signal: init.signal ?? null,
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed as RawResponse["body"], headers: res.headers };
  }
}
