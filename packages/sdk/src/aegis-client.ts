import type {
  AnalyzeRequest,
  AnalyzeResponse,
  IncidentPayload,
  IncidentResult,
  IncidentStatus,
  Runbook,
  RunbookInput,
  RunbookSearchRequest,
  RunbookSearchResponse,
} from "@aegis/contracts";
import WebSocket from "ws";
import { AegisApiError } from "./aegis-api-error.js";
import { FrameStream } from "./frame-stream.js";
import type { Health } from "./health.js";

/** One HTTP exchange as it happened: any status, the body parsed as JSON when it is JSON. */
export interface RawResponse {
  status: number;
  // Loose on purpose: callers of the raw request assert on whatever shape the route returns.
  body: Record<string, unknown> & unknown[];
  headers: Headers;
}

export interface AegisClientOptions {
  /** `fetch` to use (a test can script one); default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** Typed client of the AegisOps HTTP + WebSocket API; the key goes in `X-API-Key`. */
export class AegisClient {
  readonly url: string;
  private readonly fetch: typeof fetch;

  constructor(
    url: string,
    readonly apiKey?: string,
    options: AegisClientOptions = {},
  ) {
    this.url = url.replace(/\/$/, "");
    this.fetch = options.fetch ?? fetch;
  }

  /** Any route, any status: never throws on an HTTP error (see the typed methods for that). */
  async request(
    method: string,
    path: string,
    body?: unknown,
    init: { signal?: AbortSignal } = {},
  ): Promise<RawResponse> {
    const res = await this.fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(this.apiKey ? { "x-api-key": this.apiKey } : {}),
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

  /** `request` that returns the body as `T` on 2xx and throws `AegisApiError` otherwise. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.request(method, path, body);
    if (r.status < 200 || r.status > 299) {
      throw new AegisApiError(method, path, r.status, r.body as unknown as AegisApiError["body"], r.headers);
    }
    return r.body as unknown as T;
  }

  health(): Promise<Health> {
    return this.call("GET", "/health");
  }

  /** `POST /webhook`: opens (or, for a known id, returns) an incident. */
  sendIncident(payload: IncidentPayload): Promise<IncidentResult> {
    return this.call("POST", "/webhook", payload);
  }

  /** One incident, or null when the server does not know it. */
  async incident(id: string): Promise<IncidentResult | null> {
    try {
      return await this.call<IncidentResult>("GET", `/incidents/${encodeURIComponent(id)}`);
    } catch (e) {
      if (e instanceof AegisApiError && e.status === 404) return null;
      throw e;
    }
  }

  listIncidents(query: { limit?: number; offset?: number; status?: IncidentStatus } = {}): Promise<IncidentResult[]> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
    return this.call("GET", `/incidents${qs.size > 0 ? `?${qs}` : ""}`);
  }

  /** Decide an incident awaiting human approval. */
  private decide(
    id: string,
    verb: "approve" | "reject",
    body: { note?: string; by?: string } = {},
  ): Promise<IncidentResult> {
    return this.call("POST", `/api/v1/incidents/${encodeURIComponent(id)}/${verb}`, body);
  }

  approve(id: string, body?: { note?: string; by?: string }): Promise<IncidentResult> {
    return this.decide(id, "approve", body);
  }

  reject(id: string, body?: { note?: string; by?: string }): Promise<IncidentResult> {
    return this.decide(id, "reject", body);
  }

  /** Create or replace a runbook (idempotent); `created` tells which. */
  async putRunbook(id: string, runbook: Omit<RunbookInput, "id">): Promise<{ created: boolean; runbook: Runbook }> {
    const path = `/api/v1/runbooks/${encodeURIComponent(id)}`;
    const r = await this.request("PUT", path, runbook);
    if (r.status !== 200 && r.status !== 201) {
      throw new AegisApiError("PUT", path, r.status, r.body as unknown as AegisApiError["body"], r.headers);
    }
    return { created: r.status === 201, runbook: r.body as unknown as Runbook };
  }

  searchRunbooks(request: Omit<RunbookSearchRequest, "top_k"> & { top_k?: number }): Promise<RunbookSearchResponse> {
    return this.call("POST", "/api/v1/runbooks/search", request);
  }

  analyze(request: AnalyzeRequest): Promise<AnalyzeResponse> {
    return this.call("POST", "/api/v1/analyze", request);
  }

  /** Poll an incident until it satisfies `done`; throws after `timeoutMs` with its last state. */
  async waitFor(
    id: string,
    done: (i: IncidentResult) => boolean,
    timeoutMs = 30_000,
    pollMs = 50,
  ): Promise<IncidentResult> {
    const end = Date.now() + timeoutMs;
    let last: IncidentResult | null = null;
    while (Date.now() < end) {
      try {
        last = await this.incident(id);
        if (last && done(last)) return last;
      } catch {
        // The server is restarting (a crash-resume test, a redeploy): keep polling.
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    throw new Error(
      `timed out waiting for incident ${id}; last state: ${JSON.stringify(last?.status)} ${JSON.stringify(last?.timeline?.map((t) => t.status))}`,
    );
  }

  /** Open `/ws`; rejects with `AegisApiError` when the server refuses the upgrade (e.g. 401). */
  async socket(): Promise<FrameStream> {
    const path = "/ws";
    const ws = new WebSocket(`${this.url.replace(/^http/, "ws")}${path}`, {
      headers: this.apiKey ? { "x-api-key": this.apiKey } : {},
    });
    const stream = new FrameStream(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => {
        reject(new AegisApiError("GET", path, res.statusCode ?? 0, null, new Headers()));
        ws.terminate();
      });
      ws.once("error", reject);
    });
    return stream;
  }
}
