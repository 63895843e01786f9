import { UpstreamError } from "../shared/errors.js";

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: { refType: string; spanID: string }[];
  startTime: number;
  duration: number;
  processID: string;
  tags?: { key: string; value: unknown }[];
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

export interface TraceSummary {
  trace_id: string;
  root_service: string;
  root_operation: string;
  start_time: string;
  duration_ms: number;
  span_count: number;
  error_count: number;
  services: string[];
  spans: {
    span_id: string;
    parent_span_id: string | null;
    service: string;
    operation: string;
    start_time: string;
    duration_ms: number;
    error: boolean;
  }[];
}

export interface TraceQuery {
  service: string;
  minDurationMs?: number | undefined;
  limit: number;
  lookbackMinutes: number;
  operation?: string | undefined;
}

const isError = (s: JaegerSpan) =>
  (s.tags ?? []).some((t) => t.key === "error" && (t.value === true || t.value === "true"));

/** Traces from a Jaeger query service (`/api/traces`, `/api/services`): the product reads, never invents. */
export class JaegerTraces {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async services(): Promise<string[]> {
    const body = (await this.get("/api/services")) as { data?: string[] | null };
    return [...(body.data ?? [])].sort();
  }

  async find(q: TraceQuery): Promise<TraceSummary[]> {
    const params = new URLSearchParams({
      service: q.service,
      limit: String(q.limit),
      lookback: `${q.lookbackMinutes}m`,
      end: String(Date.now() * 1000),
      start: String((Date.now() - q.lookbackMinutes * 60_000) * 1000),
    });
    if (q.minDurationMs !== undefined) params.set("minDuration", `${q.minDurationMs}ms`);
    if (q.operation) params.set("operation", q.operation);
    const body = (await this.get(`/api/traces?${params}`)) as { data?: JaegerTrace[] | null };
    return (body.data ?? [])
      .filter((t) => Array.isArray(t.spans) && t.spans.length > 0)
      .map(summaryOf)
      .filter((t) => q.minDurationMs === undefined || t.duration_ms >= q.minDurationMs)
      .sort((a, b) => b.start_time.localeCompare(a.start_time));
  }

  private async get(path: string): Promise<unknown> {
    const url = `${this.baseUrl.replace(/\/+$/, "")}${path}`;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: "application/json" } });
    } catch (err) {
      throw new UpstreamError(
        `trace source ${this.baseUrl} unreachable: ${(err as Error).message}`,
        "trace_source_unreachable",
      );
    }
    if (!res.ok) {
      throw new UpstreamError(`trace source answered ${res.status} for ${path.split("?")[0]}`, "trace_source_error", {
        status: res.status,
      });
    }
    try {
      return await res.json();
    } catch {
      throw new UpstreamError("trace source answered something that is not JSON", "trace_source_error");
    }
  }
}

function summaryOf(t: JaegerTrace): TraceSummary {
  const serviceOf = (s: JaegerSpan) => t.processes[s.processID]?.serviceName ?? "unknown";
  const ids = new Set(t.spans.map((s) => s.spanID));
  const parentOf = (s: JaegerSpan) =>
    s.references?.find((r) => r.refType === "CHILD_OF" && ids.has(r.spanID))?.spanID ?? null;
  const root = t.spans.find((s) => parentOf(s) === null) ?? t.spans[0];
  const start = Math.min(...t.spans.map((s) => s.startTime));
  const end = Math.max(...t.spans.map((s) => s.startTime + s.duration));
  return {
    trace_id: t.traceID,
    root_service: root ? serviceOf(root) : "unknown",
    root_operation: root?.operationName ?? "unknown",
    start_time: new Date(start / 1000).toISOString(),
    duration_ms: Math.round((end - start) / 10) / 100,
    span_count: t.spans.length,
    error_count: t.spans.filter(isError).length,
    services: [...new Set(t.spans.map(serviceOf))].sort(),
    spans: [...t.spans]
      .sort((a, b) => a.startTime - b.startTime)
      .map((s) => ({
        span_id: s.spanID,
        parent_span_id: parentOf(s),
        service: serviceOf(s),
        operation: s.operationName,
        start_time: new Date(s.startTime / 1000).toISOString(),
        duration_ms: Math.round(s.duration / 10) / 100,
        error: isError(s),
      })),
  };
}
