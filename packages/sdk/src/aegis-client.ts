import type {
  ActiveAlerts,
  AnalyzeRequest,
  AnalyzeResponse,
  ContainerInfo,
  ContainerMetrics,
  CostSummary,
  Explanation,
  FleetPredictions,
  Hypothesis,
  IncidentPayload,
  IncidentResult,
  IncidentStatus,
  IncidentSummaryV1,
  IncidentV1,
  LifecycleState,
  Runbook,
  RunbookEntry,
  RunbookInput,
  RunbookPage,
  RunbookSearchRequest,
  RunbookSearchResponse,
  ScaleDownResult,
  ScaleEvent,
  StateChangedV1,
  Topology,
  WorkflowV1,
} from "@aegis/contracts";
import { AegisApiError } from "./aegis-api-error.js";
import type {
  LoginResponse,
  MeResponse,
  ProjectRef,
  Seed003Envelope,
  Seed003Page,
  SwitchProjectResponse,
} from "./auth-types.js";
import type { FrameStream } from "./frame-stream.js";
import type { Health } from "./health.js";
import { HttpCore, type RawResponse } from "./http-core.js";
import { openFrameStream } from "./open-frame-stream.js";
import { DEFAULT_RETRY, type RetryOptions } from "./retry-policy.js";

export type { RawResponse } from "./http-core.js";

export interface AegisClientOptions {
  /** `fetch` to use (a test can script one); default: the global `fetch`. */
  fetch?: typeof fetch;
  /** A signed-in user's access token, read at each request and sent as `Authorization: Bearer`. */
  bearer?: () => string | undefined;
  /**
   * Called once when a request answers 401 (not for `/api/v1/auth/*`): true when it renewed the credential
   * (e.g. `POST /api/v1/auth/refresh`), and the request is then sent again.
   */
  renew?: () => Promise<boolean>;
  /**
   * Retries of 429/503 answers (honouring `Retry-After`) and of idempotent requests' network errors. Off by
   * default here (`maxAttempts: 1`: tests and tools read statuses as they come); `OpscopilotClient` retries.
   */
  retry?: RetryOptions;
}

/** `GET /api/v1/incidents` filters (seed 003 pagination). */
export interface IncidentListQuery {
  page?: number;
  page_size?: number;
  /** A lifecycle state, `open`, `triggered`, or (in capitals) seed 000's automation status. */
  status?: string;
  state?: LifecycleState;
  severity?: string;
  service?: string;
}

/** Typed client of the AegisOps HTTP + WebSocket API; the key goes in `X-API-Key`. */
export class AegisClient {
  readonly url: string;
  /** The shared HTTP path (credentials, retries, typed errors). */
  readonly http: HttpCore;

  constructor(
    url: string,
    readonly apiKey?: string,
    options: AegisClientOptions = {},
  ) {
    this.http = new HttpCore(url, { ...options, apiKey }, { ...DEFAULT_RETRY, maxAttempts: 1 });
    this.url = this.http.url;
  }

  /** Any route, any status: never throws on an HTTP error (see the typed methods for that). */
  request(method: string, path: string, body?: unknown, init: { signal?: AbortSignal } = {}): Promise<RawResponse> {
    return this.http.request(method, path, body, init);
  }

  /** `request` that returns the body as `T` on 2xx and throws `AegisApiError` (by status, a subclass) otherwise. */
  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.http.call(method, path, body);
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
      throw this.http.error("PUT", path, r);
    }
    return { created: r.status === 201, runbook: r.body as unknown as Runbook };
  }

  searchRunbooks(request: Omit<RunbookSearchRequest, "top_k"> & { top_k?: number }): Promise<RunbookSearchResponse> {
    return this.call("POST", "/api/v1/runbooks/search", request);
  }

  analyze(request: AnalyzeRequest): Promise<AnalyzeResponse> {
    return this.call("POST", "/api/v1/analyze", request);
  }

  // --- Seed 002 accounts -------------------------------------------------------------------------

  login(email: string, password: string): Promise<LoginResponse> {
    return this.call("POST", "/api/v1/auth/login", { email, password });
  }

  /** Revokes the session; the refresh token may come from the cookie instead. */
  logout(refreshToken?: string): Promise<{ message: string }> {
    return this.call("POST", "/api/v1/auth/logout", refreshToken ? { refresh_token: refreshToken } : {});
  }

  /** A new access token from the refresh token (cookie or argument); the old refresh token is spent. */
  refresh(refreshToken?: string): Promise<{ access_token: string; refresh_token: string }> {
    return this.call("POST", "/api/v1/auth/refresh", refreshToken ? { refresh_token: refreshToken } : {});
  }

  me(): Promise<MeResponse> {
    return this.call("GET", "/api/v1/auth/me");
  }

  switchProject(projectId: string): Promise<SwitchProjectResponse> {
    return this.call("POST", "/api/v1/auth/switch-project", { project_id: projectId });
  }

  /** A short-lived token for `/ws?token=`. */
  wsToken(): Promise<{ token: string; expires_in: number }> {
    return this.call("GET", "/api/v1/auth/ws-token");
  }

  projects(): Promise<ProjectRef[]> {
    return this.call("GET", "/api/v1/projects");
  }

  // --- The /api/v1 incident resource --------------------------------------------------------------

  /** One page of the project's incidents, newest first (seed 003 envelope unwrapped). */
  async incidentPage(query: IncidentListQuery = {}): Promise<Seed003Page<IncidentSummaryV1>> {
    const qs = new URLSearchParams({ page: String(query.page ?? 1), page_size: String(query.page_size ?? 25) });
    for (const k of ["status", "state", "severity", "service"] as const) {
      const v = query[k];
      if (v) qs.set(k, v);
    }
    const r = await this.call<Seed003Envelope<Seed003Page<IncidentSummaryV1>>>("GET", `/api/v1/incidents?${qs}`);
    return r.data;
  }

  incidentV1(id: string): Promise<IncidentV1> {
    return this.call("GET", `/api/v1/incidents/${encodeURIComponent(id)}`);
  }

  /** The pipeline's steps, timed from the timeline. */
  workflow(id: string): Promise<WorkflowV1> {
    return this.call("GET", `/api/v1/incidents/${encodeURIComponent(id)}/workflow`);
  }

  changeState(id: string, state: LifecycleState, note?: string): Promise<StateChangedV1> {
    return this.call("PATCH", `/api/v1/incidents/${encodeURIComponent(id)}/state`, note ? { state, note } : { state });
  }

  hypotheses(id: string): Promise<Hypothesis[]> {
    return this.call("GET", `/api/v1/incidents/${encodeURIComponent(id)}/hypotheses`);
  }

  // --- Fleet (seed 000) ---------------------------------------------------------------------------

  containers(): Promise<ContainerInfo[]> {
    return this.call("GET", "/containers");
  }

  metrics(): Promise<ContainerMetrics[]> {
    return this.call("GET", "/metrics");
  }

  topology(): Promise<Topology> {
    return this.call("GET", "/topology");
  }

  scaleUp(count?: number): Promise<ScaleEvent> {
    return this.call("POST", `/scale/up${count === undefined ? "" : `?count=${count}`}`);
  }

  scaleDown(): Promise<ScaleDownResult> {
    return this.call("POST", "/scale/down");
  }

  // --- Knowledge ----------------------------------------------------------------------------------

  runbooks(query: { service?: string; page?: number; page_size?: number } = {}): Promise<RunbookPage> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
    return this.call("GET", `/api/v1/runbooks${qs.size > 0 ? `?${qs}` : ""}`);
  }

  /** Seed 000 `/runbook`: what past incidents taught. */
  pastIncidents(): Promise<{ entries: RunbookEntry[]; total: number }> {
    return this.call("GET", "/runbook");
  }

  // --- Predictive monitor (seed 004) --------------------------------------------------------------

  /** Current predictions, or `{error: "insufficient_data", …}` before the monitor has warmed up. */
  predictions(): Promise<FleetPredictions | { error: string; message: string; predictions: Record<string, never> }> {
    return this.call("GET", "/predictions/current");
  }

  activeAlerts(): Promise<ActiveAlerts> {
    return this.call("GET", "/alerts/active");
  }

  explain(server: string): Promise<Explanation> {
    return this.call("GET", `/explain/${encodeURIComponent(server)}`);
  }

  // --- Analytics (seeds 002, 003) -----------------------------------------------------------------

  costSummary(days?: number): Promise<CostSummary> {
    return this.call("GET", `/api/v1/analytics/cost-summary${days ? `?days=${days}` : ""}`);
  }

  /** A seed 003 `{success, message, data}` resource, unwrapped; null when this server does not serve it (404). */
  async seed003<T>(path: string): Promise<T | null> {
    try {
      return (await this.call<Seed003Envelope<T>>("GET", path)).data;
    } catch (e) {
      if (e instanceof AegisApiError && e.status === 404) return null;
      throw e;
    }
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
  socket(): Promise<FrameStream> {
    return openFrameStream(this.url, this.apiKey, this.http.token());
  }
}
