import type {
  ActiveAlerts,
  EnvironmentHistoryResponse,
  Explanation,
  FeedAccepted,
  FeedRequest,
  FleetPredictions,
  HistoryAlertsResponse,
  HistorySummaryResponse,
  ModelList,
  MonitorStatus,
  ServerHistoryResponse,
  TrainingStatus,
} from "@aegis/contracts";
import type { HttpCore } from "./http-core.js";
import { queryString, seg } from "./query-string.js";

/** The output type of a contracts schema whose inferred type is not exported by name. */
type Out<S> = S extends { _output: infer O } ? O : never;

/** Seed 004 before the monitor has warmed up. */
export interface InsufficientData {
  error: string;
  message: string;
  predictions: Record<string, never>;
}

/** The predictive monitor (seed 004): status, metric feed, predictions, alerts, explanations and history. */
export class MonitorApi {
  constructor(private readonly http: HttpCore) {}

  status(): Promise<MonitorStatus> {
    return this.http.call("GET", "/status");
  }

  /** Feeds metric records (at most 100,000; one bad record refuses the batch with a 422 naming it). */
  feed(records: FeedRequest["records"]): Promise<FeedAccepted> {
    return this.http.call("POST", "/feed/data", { records });
  }

  predictions(): Promise<FleetPredictions | InsufficientData> {
    return this.http.call("GET", "/predictions/current");
  }

  activeAlerts(): Promise<ActiveAlerts> {
    return this.http.call("GET", "/alerts/active");
  }

  explain(server: string): Promise<Explanation> {
    return this.http.call("GET", `/explain/${seg(server)}`);
  }

  historySummary(timeRange?: string): Promise<Out<typeof HistorySummaryResponse>> {
    return this.http.call("GET", `/historical/summary${queryString({ time_range: timeRange })}`);
  }

  historyAlerts(query: { timeRange?: string; server?: string } = {}): Promise<Out<typeof HistoryAlertsResponse>> {
    const q = queryString({ time_range: query.timeRange, server_name: query.server });
    return this.http.call("GET", `/historical/alerts${q}`);
  }

  serverHistory(server: string, timeRange?: string): Promise<Out<typeof ServerHistoryResponse>> {
    return this.http.call("GET", `/historical/server/${seg(server)}${queryString({ time_range: timeRange })}`);
  }

  environmentHistory(timeRange?: string): Promise<Out<typeof EnvironmentHistoryResponse>> {
    return this.http.call("GET", `/historical/environment${queryString({ time_range: timeRange })}`);
  }

  models(): Promise<ModelList> {
    return this.http.call("GET", "/admin/models");
  }

  trainingStatus(): Promise<TrainingStatus> {
    return this.http.call("GET", "/admin/training-status");
  }
}
