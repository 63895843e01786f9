import type { FleetPredictions } from "@aegis/contracts";

/** What the predictive monitor can say now: its forecasts, or why it has none yet. */
export type MonitorReading =
  | { state: "ready"; predictions: FleetPredictions }
  | { state: "warming_up"; records: number; needed: number };

/**
 * Seed 003 `/analytics/predictions` from the predictive monitor (seed 004): servers by risk, with the
 * forecast breach each one is heading for. Before warm-up the answer says how many records are missing.
 */
export function predictionsView(reading: MonitorReading) {
  if (reading.state === "warming_up") {
    return {
      status: "warming_up" as const,
      message: `the predictive monitor needs ${reading.needed} metric records before it forecasts; it has ${reading.records}`,
      generated_at: null,
      summary: null,
      predictions: [],
    };
  }
  const p = reading.predictions;
  const predictions = Object.entries(p.predictions)
    .map(([server, s]) => ({
      server,
      risk_score: s.risk_score,
      alert_level: s.alert.level,
      profile: s.profile,
      anomaly_score: s.anomaly_score,
      prediction: s.message,
      time_to_issue_minutes: s.time_to_issue_minutes,
      last_seen: s.last_seen,
    }))
    .sort((a, b) => b.risk_score - a.risk_score || a.server.localeCompare(b.server));
  return {
    status: "ready" as const,
    message: `${predictions.filter((x) => x.prediction !== null).length} of ${predictions.length} servers have a predicted issue`,
    generated_at: p.timestamp,
    summary: {
      total_servers: p.summary.total_servers,
      at_risk: p.summary.critical + p.summary.warning,
      fleet_health: p.summary.fleet_health,
      probability_30m: p.summary.prob_30m,
      probability_8h: p.summary.prob_8h,
    },
    predictions,
  };
}
