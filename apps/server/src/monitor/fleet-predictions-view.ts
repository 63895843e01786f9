import { type PredictionsPage, type PredictionsQuery, SUMMARY_ALERTS_LIMIT } from "@aegis/contracts";
import { FullMapBody } from "./full-map-body.js";
import type { FleetMonitor, ServerPrediction } from "./monitor-types.js";
import { TimeSlicer } from "./time-slicer.js";

/** Servers serialised at most between two yields to the event loop (and at most `SLICE_BUDGET_MS` of work): one chunk of the body. */
const SLICE = 250;
/** Servers serialised between two looks at the time budget. */
const STEP = 25;
const DEFAULT_PAGE = 100;
const COMMA = 0x2c;

/**
 * The forms `GET /predictions/current` answers in. The full map (the seed's default) is built in
 * slices with the event loop free between them, from per-server JSON the engine keeps until that
 * server reports again, and is readable while it is built (`FullMapBody`); concurrent readers share
 * one build and repeated reads one cached body. A map built while records arrive holds each server
 * as it was when its slice ran; its summary is the one at the start (the same servers), and the next
 * read builds again.
 */
export class FleetPredictionsView {
  private current: { version: number; body: FullMapBody } | null = null;
  private summaryCache: { version: number; alertsLimit: number; json: string } | null = null;

  constructor(
    private readonly engine: FleetMonitor,
    private readonly slice = SLICE,
  ) {}

  /**
   * The seed's full payload as UTF-8 JSON: this version's cached body, the build in progress (any
   * version: a reader does not start a second build while one runs), or a new build.
   */
  fullMap(): FullMapBody {
    const c = this.current;
    if (c && (!c.body.done || c.version === this.engine.version)) return c.body;
    const body = new FullMapBody();
    this.current = { version: this.engine.version, body };
    this.build(body).catch((err: unknown) => {
      // Its readers get the error; the next read builds again instead of being answered from a failure.
      if (this.current?.body === body) this.current = null;
      body.fail(err instanceof Error ? err : new Error(String(err)));
    });
    return body;
  }

  /** The full map as a string, once built. */
  async fullJson(): Promise<string> {
    return (await this.fullMap().whole()).toString("utf8");
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
    const { summary, timestamp } = e.fleetSummary();
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

  private async build(body: FullMapBody): Promise<void> {
    const e = this.engine;
    const { summary, alerts, timestamp } = e.overview();
    const n = summary.total_servers;
    const pacer = new TimeSlicer(this.slice);
    body.append(Buffer.from('{"predictions":{'));
    // A slice's servers are serialised (those that changed), then copied into one chunk in the same
    // task: nothing serialises them again in between.
    let from = 0;
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      bytes += e.predictionLengthAt(i);
      const last = i === n - 1;
      if (!last && !((i + 1) % STEP === 0 && pacer.due(STEP))) continue;
      const chunk = Buffer.allocUnsafe(bytes + (from > 0 ? i - from + 1 : i - from));
      let at = 0;
      for (let j = from; j <= i; j++) {
        if (j > 0) chunk[at++] = COMMA;
        at += e.copyPredictionAt(j, chunk, at);
      }
      body.append(chunk);
      from = i + 1;
      bytes = 0;
      if (!last) await pacer.pause();
    }
    body.append(
      Buffer.from(
        `},"summary":${JSON.stringify(summary)},"alerts":${JSON.stringify(alerts)},"timestamp":${JSON.stringify(timestamp)}}`,
      ),
    );
    body.end();
  }
}
