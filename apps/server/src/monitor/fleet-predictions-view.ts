import { type PredictionsPage, type PredictionsQuery, SUMMARY_ALERTS_LIMIT } from "@aegis/contracts";
import type { FleetMonitor, ServerPrediction } from "./monitor-types.js";
import { TimeSlicer } from "./time-slicer.js";

/** Servers serialised at most between two yields to the event loop (and at most `SLICE_BUDGET_MS` of work). */
const SLICE = 250;
/** Servers serialised between two looks at the time budget. */
const STEP = 25;
const DEFAULT_PAGE = 100;
const COMMA = 0x2c;

/**
 * The forms `GET /predictions/current` answers in. The full map (the seed's default) is built in
 * slices with the event loop free between them, from per-server JSON the engine keeps until that
 * server reports again; concurrent readers share one build and repeated reads one cached string.
 * A map built while records arrive holds each server as it was when its slice ran; its summary is
 * the one at the start (the same servers), and the next read builds again.
 */
export class FleetPredictionsView {
  private cached: { version: number; body: Buffer } | null = null;
  private building: Promise<Buffer> | null = null;
  private summaryCache: { version: number; alertsLimit: number; json: string } | null = null;

  constructor(
    private readonly engine: FleetMonitor,
    private readonly slice = SLICE,
  ) {}

  /**
   * The seed's full payload as UTF-8 JSON, encoded slice by slice while it is built: handing the
   * socket a 12 MB string (10,000 servers) made the response write encode it in one task (~200–400 ms
   * measured under the monitor bench); a Buffer is written as it is.
   */
  fullBody(): Promise<Buffer> {
    if (this.cached?.version === this.engine.version) return Promise.resolve(this.cached.body);
    this.building ??= this.build().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  /** `fullBody()` as a string. */
  async fullJson(): Promise<string> {
    return (await this.fullBody()).toString("utf8");
  }

  /**
   * `view=summary` as JSON: the overview with its alerts capped at `alertsLimit` (riskiest first) and
   * `alerts_total`; one string per engine version (and limit), so repeated polls cost nothing.
   */
  summaryJson(alertsLimit = SUMMARY_ALERTS_LIMIT): string {
    const c = this.summaryCache;
    const version = this.engine.version;
    if (c && c.version === version && c.alertsLimit === alertsLimit) return c.json;
    const { summary, alerts, timestamp } = this.engine.overview();
    const json = `{"summary":${JSON.stringify(summary)},"alerts":${JSON.stringify(alerts.slice(0, alertsLimit))},"alerts_total":${alerts.length},"timestamp":${JSON.stringify(timestamp)}}`;
    this.summaryCache = { version, alertsLimit, json };
    return json;
  }

  /** One page of servers matching the query's filters, from `cursor` on. */
  page(q: PredictionsQuery): PredictionsPage {
    const e = this.engine;
    const { summary, timestamp } = e.overview();
    const limit = q.limit ?? DEFAULT_PAGE;
    const predictions = Object.create(null) as Record<string, ServerPrediction>;
    const keep = (p: ServerPrediction) => q.risk_min === undefined || p.risk_score >= q.risk_min;
    let count = 0;
    let next: string | null = null;
    if (q.server_id !== undefined) {
      // Named servers: the page walks the list of names (the cursor is a position in it).
      const names = [...new Set(q.server_id.split(",").map((n) => n.trim()))].filter((n) => n.length > 0);
      for (let i = Number(q.cursor ?? 0); i < names.length; i++) {
        if (count === limit) {
          next = String(i);
          break;
        }
        const name = names[i] as string;
        const p = e.prediction(name);
        if (p && keep(p)) {
          predictions[name] = p;
          count++;
        }
      }
    } else {
      const n = e.serversTracked;
      // A server below risk_min is skipped on its risk alone: its prediction is never built.
      const floor = q.risk_min === undefined ? Number.NEGATIVE_INFINITY : q.risk_min - 0.05;
      for (let i = Number(q.cursor ?? 0); i < n; i++) {
        if (e.riskAt(i) < floor) continue;
        if (count === limit) {
          next = String(i);
          break;
        }
        const name = e.serverNameAt(i) as string;
        const p = e.prediction(name);
        if (p && keep(p)) {
          predictions[name] = p;
          count++;
        }
      }
    }
    return { predictions, summary, timestamp, count, next_cursor: next };
  }

  private async build(): Promise<Buffer> {
    const e = this.engine;
    const version = e.version;
    const { summary, alerts, timestamp } = e.overview();
    const n = summary.total_servers;
    const pacer = new TimeSlicer(this.slice);
    // Each server's bytes are cached on it; the body is one copy of them, separated by commas. The
    // lengths are summed in slices (serialising the servers that changed), then the bytes copied at
    // once: nothing serialises a server between the two (one build at a time).
    const head = Buffer.from('{"predictions":{');
    const tail = Buffer.from(
      `},"summary":${JSON.stringify(summary)},"alerts":${JSON.stringify(alerts)},"timestamp":${JSON.stringify(timestamp)}}`,
    );
    let bytes = head.length + tail.length + Math.max(0, n - 1);
    for (let i = 0; i < n; i++) {
      bytes += e.predictionLengthAt(i);
      if (i < n - 1 && (i + 1) % STEP === 0 && pacer.due(STEP)) await pacer.pause();
    }
    const body = Buffer.allocUnsafe(bytes);
    let at = head.copy(body, 0);
    for (let i = 0; i < n; i++) {
      if (i > 0) body[at++] = COMMA;
      at += e.copyPredictionAt(i, body, at);
    }
    tail.copy(body, at);
    this.cached = { version, body };
    return body;
  }
}
