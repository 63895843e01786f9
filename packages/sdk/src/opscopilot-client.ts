import type { AnalyzeRequest, AnalyzeResponse, IncidentV1, RunbookSearchResponse } from "@aegis/contracts";
import { ApprovalsApi } from "./approvals-api.js";
import type {
  AnalysisResult,
  AnalyzeInput,
  ApiHealth,
  IncidentList,
  IncidentListInput,
  RunbookSearchInput,
  Ticket,
  TicketCreated,
  TicketInput,
  Webhook,
  WebhookDelivery,
  WebhookInput,
} from "./copilot-types.js";
import type { FrameStream } from "./frame-stream.js";
import { HttpCore, type RawResponse } from "./http-core.js";
import { IncidentsApi } from "./incidents-api.js";
import { MonitorApi } from "./monitor-api.js";
import { OnCallApi } from "./oncall-api.js";
import { openFrameStream } from "./open-frame-stream.js";
import { queryString, seg } from "./query-string.js";
import type { RetryOptions } from "./retry-policy.js";

/** Where the client goes when `baseUrl` is not given and `OPSCOPILOT_BASE_URL` is not set: a local server. */
export const DEFAULT_BASE_URL = "http://127.0.0.1:8001";

export interface OpscopilotClientOptions {
  /** Sent as `X-API-Key` (a bootstrap or per-project key). */
  apiKey?: string;
  /** A JWT access token, sent as `Authorization: Bearer` (instead of, or with, the key). */
  token?: string | (() => string | undefined);
  /** The server's root (`/api/v1/...` is added); default `OPSCOPILOT_BASE_URL`, else `http://127.0.0.1:8001`. */
  baseUrl?: string;
  /** Default: 3 attempts, 200 ms doubling with full jitter, `Retry-After` honoured up to 60 s. */
  retry?: RetryOptions;
  /** `fetch` to use; default the global one. */
  fetch?: typeof fetch;
}

const env = (name: string): string | undefined =>
  typeof process !== "undefined" && process.env ? process.env[name] || undefined : undefined;

/**
 * The Ops Copilot client of seed 001 (`new OpscopilotClient({apiKey})`, `client.analyze({incidentDescription,
 * context})`), over this server's `/api/v1`. Non-2xx answers throw `AegisApiError` subclasses; 429/503 are sent
 * again with backoff, honouring `Retry-After`.
 */
export class OpscopilotClient {
  readonly http: HttpCore;
  /** `/api/v1/incidents`: list, pages, detail, lifecycle, timeline, live frames. */
  readonly incidents: IncidentsApi;
  /** Approve or reject incidents awaiting a person. */
  readonly approvals: ApprovalsApi;
  /** `/api/v1/oncall`: schedules, who is on call, escalation policies. */
  readonly oncall: OnCallApi;
  /** The predictive monitor (seed 004). */
  readonly monitor: MonitorApi;

  constructor(options: OpscopilotClientOptions = {}) {
    const token = options.token;
    this.http = new HttpCore(options.baseUrl ?? env("OPSCOPILOT_BASE_URL") ?? DEFAULT_BASE_URL, {
      apiKey: options.apiKey,
      bearer: typeof token === "function" ? token : token ? () => token : undefined,
      retry: options.retry,
      fetch: options.fetch,
    });
    this.incidents = new IncidentsApi(this.http);
    this.approvals = new ApprovalsApi(this.http);
    this.oncall = new OnCallApi(this.http);
    this.monitor = new MonitorApi(this.http);
  }

  get baseUrl(): string {
    return this.http.url;
  }

  /** `POST /api/v1/analyze`: the result (`hypothesis`, `confidence`, `next_actions`, …) with the envelope's fields. */
  async analyze(input: AnalyzeInput): Promise<AnalysisResult> {
    const o = input.options;
    const body: AnalyzeRequest = {
      incident_description: input.incidentDescription,
      ...(input.incidentId !== undefined ? { incident_id: input.incidentId } : {}),
      ...(input.context !== undefined ? { context: input.context } : {}),
      ...(o !== undefined
        ? {
            options: {
              ...(o.includeCommands !== undefined ? { include_commands: o.includeCommands } : {}),
              ...(o.maxCitations !== undefined ? { max_citations: o.maxCitations } : {}),
              ...(o.includeRelatedIncidents !== undefined
                ? { include_related_incidents: o.includeRelatedIncidents }
                : {}),
            },
          }
        : {}),
      ...(input.logs !== undefined ? { logs: input.logs } : {}),
    };
    const response = await this.http.call<AnalyzeResponse>("POST", "/api/v1/analyze", body);
    const { request_id, timestamp, latency_ms, metadata } = response;
    return { ...response.result, request_id, timestamp, latency_ms, metadata, response };
  }

  /** `GET /api/v1/incidents/{incident_id}` (an id or `INC-<n>`). */
  getIncident(incidentId: string): Promise<IncidentV1> {
    return this.incidents.get(incidentId);
  }

  /** `GET /api/v1/incidents` with seed 001's filters. */
  listIncidents(query: IncidentListInput = {}): Promise<IncidentList> {
    return this.incidents.list(query);
  }

  /** `POST /api/v1/runbooks/search`. */
  searchRunbooks(input: RunbookSearchInput): Promise<RunbookSearchResponse> {
    const { topK, ...rest } = input;
    return this.http.call("POST", "/api/v1/runbooks/search", {
      ...rest,
      ...(topK !== undefined ? { top_k: topK } : {}),
    });
  }

  /** `POST /api/v1/tickets` (filed in Jira when the server has it configured). */
  createTicket(input: TicketInput): Promise<TicketCreated> {
    const { incidentId, ...rest } = input;
    return this.http.call("POST", "/api/v1/tickets", {
      ...rest,
      ...(incidentId !== undefined ? { incident_id: incidentId } : {}),
    });
  }

  listTickets(query: { limit?: number; offset?: number } = {}): Promise<{
    tickets: Ticket[];
    total: number;
    limit: number;
    offset: number;
  }> {
    return this.http.call("GET", `/api/v1/tickets${queryString(query)}`);
  }

  getTicket(ticketId: string): Promise<Ticket> {
    return this.http.call("GET", `/api/v1/tickets/${seg(ticketId)}`);
  }

  /** `POST /api/v1/webhooks`: incident notifications, signed with `secret`. */
  registerWebhook(input: WebhookInput): Promise<Webhook> {
    return this.http.call("POST", "/api/v1/webhooks", input);
  }

  async listWebhooks(): Promise<Webhook[]> {
    return (await this.http.call<{ webhooks: Webhook[] }>("GET", "/api/v1/webhooks")).webhooks;
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.http.call("DELETE", `/api/v1/webhooks/${seg(id)}`);
  }

  async webhookDeliveries(id: string, limit?: number): Promise<WebhookDelivery[]> {
    const path = `/api/v1/webhooks/${seg(id)}/deliveries${queryString({ limit })}`;
    return (await this.http.call<{ deliveries: WebhookDelivery[] }>("GET", path)).deliveries;
  }

  /** `GET /api/v1/health`: the dependencies really probed. A 503 (database down) throws `ServerError`. */
  health(): Promise<ApiHealth> {
    return this.http.call("GET", "/api/v1/health");
  }

  /** Seed 000's `/ws` frames (every frame of the project), as a `FrameStream`: `for await`, `waitFor`, `close()`. */
  frames(): Promise<FrameStream> {
    return openFrameStream(this.http.url, this.http.apiKey, this.http.token());
  }

  /** Any route; never throws on a status. */
  request(method: string, path: string, body?: unknown): Promise<RawResponse> {
    return this.http.request(method, path, body);
  }
}
