import type { IncidentPayload } from "@aegis/contracts";
import type { Logger } from "../shared/logger.js";
import type { AlertEvent, ServerPrediction } from "./monitor-types.js";

/** What the bridge needs of the remediation loop. */
export interface IncidentSink {
  receive(payload: IncidentPayload): Promise<{ created: boolean; incident: { incident_id: string } }>;
}

export interface ProactiveOptions {
  enabled: boolean;
  /** Whether the runtime manages this server; unmanaged ones get a dry-run incident (diagnosis and council only). */
  manages: (serverName: string) => boolean;
}

/**
 * Turns critical predictions into incidents of the remediation loop, before the outage.
 *
 * One incident per server and alert episode: the episode opens when a server reaches critical and
 * closes when it is back to healthy; re-escalations within an episode open nothing new. The
 * incident id is derived from the server and the episode's first critical timestamp, so the
 * loop's own duplicate-id check also holds across restarts.
 */
export class ProactiveIncidents {
  private readonly open = new Map<string, string>();
  private opened = 0;

  constructor(
    private readonly sink: IncidentSink,
    private readonly logger: Logger,
    private readonly opts: ProactiveOptions,
  ) {}

  get openedCount(): number {
    return this.opened;
  }

  /** The incident opened for the server's current episode, if any. */
  incidentOf(serverName: string): string | undefined {
    return this.open.get(serverName);
  }

  /** Feed the level changes of one ingest batch; resolves when the incidents are accepted. */
  async onEvents(events: readonly AlertEvent[], predictionOf: (server: string) => ServerPrediction | undefined) {
    const created: string[] = [];
    for (const e of events) {
      if (e.new_level === "healthy") {
        this.open.delete(e.server_name);
        continue;
      }
      if (!this.opts.enabled || e.new_level !== "critical" || this.open.has(e.server_name)) continue;
      const payload = payloadOf(e, predictionOf(e.server_name), !this.opts.manages(e.server_name));
      this.open.set(e.server_name, payload.incident_id);
      try {
        const { created: isNew } = await this.sink.receive(payload);
        if (isNew) {
          this.opened += 1;
          created.push(payload.incident_id);
        }
      } catch (err) {
        // The episode stays marked so a flapping server cannot flood the loop; logged for the operator.
        this.logger.warn({ err, server: e.server_name }, "proactive incident not accepted");
      }
    }
    return created;
  }
}

/** The alert the loop sees: a named prediction, the evidence as log lines, the server as target. */
export function payloadOf(e: AlertEvent, p: ServerPrediction | undefined, dryRun: boolean): IncidentPayload {
  const message = e.message ?? p?.message ?? "Critical risk predicted";
  const lines = [
    `[argus] ${e.timestamp} server=${e.server_name} profile=${e.profile} level=${e.new_level} risk=${e.risk_score.toFixed(1)}`,
    `[argus] prediction: ${message}`,
  ];
  if (p) {
    lines.push(
      `[argus] current: cpu=${p.display_metrics.cpu} memory=${p.display_metrics.memory} disk_io=${p.display_metrics.disk_io}`,
    );
    const last = (xs: number[]) => (xs.length > 0 ? xs[xs.length - 1]?.toFixed(1) : "n/a");
    lines.push(
      `[argus] forecast to ${p.forecast.timestamps.at(-1) ?? "n/a"}: cpu ${last(p.forecast.cpu_pct)}%, memory ${last(p.forecast.mem_pct)}%`,
    );
    if (p.anomaly_score > 0) lines.push(`[argus] anomaly score ${p.anomaly_score.toFixed(2)}`);
  }
  const memory = p ? Number.parseFloat(p.display_metrics.memory) : Number.NaN;
  const cpu = p ? Number.parseFloat(p.display_metrics.cpu) : Number.NaN;
  return {
    incident_id: `argus-${e.server_name}-${e.timestamp.replace(/[^0-9A-Za-z]/g, "")}`,
    alert_type: `Predicted: ${message}`,
    logs: lines.join("\n"),
    container_name: e.server_name,
    severity: "critical",
    timestamp: e.timestamp,
    context: {
      service: e.server_name,
      environment: "argus",
      source: "predictive-monitor",
      predicted: true,
      metrics: {
        ...(Number.isFinite(cpu) ? { cpu_percent: cpu } : {}),
        ...(Number.isFinite(memory) ? { memory_percent: memory } : {}),
      },
    },
    dry_run: dryRun,
  };
}
