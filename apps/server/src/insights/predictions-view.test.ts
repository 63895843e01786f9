import type { FleetPredictions, ServerPrediction } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { predictionsView } from "./predictions-view.js";

const server = (risk: number, level: "critical" | "healthy", message: string | null): ServerPrediction => ({
  risk_score: risk,
  profile: "ml_compute",
  alert: { level, score: risk, color: "#f00", emoji: "", label: level },
  display_metrics: { cpu: "90%", memory: "80%", disk_io: "1 MB/s" },
  forecast: { cpu_pct: [90], mem_pct: [80], timestamps: ["2026-12-06T12:05:00Z"] },
  anomaly_score: risk / 100,
  message,
  time_to_issue_minutes: message ? 45 : null,
  last_seen: "2026-12-06T12:00:00Z",
});

describe("predictionsView", () => {
  it("lists servers by risk with their predicted issue and the fleet summary", () => {
    const p: FleetPredictions = {
      predictions: {
        "web-1": server(12, "healthy", null),
        "db-1": server(91, "critical", "Memory exhaustion predicted in 45 minutes"),
      },
      summary: {
        total_servers: 2,
        critical: 1,
        warning: 0,
        degraded: 0,
        healthy: 1,
        fleet_health: 50,
        prob_30m: 0.4,
        prob_8h: 0.7,
      },
      alerts: [],
      timestamp: "2026-12-06T12:00:00Z",
    };
    const v = predictionsView({ state: "ready", predictions: p });
    expect(v.status).toBe("ready");
    expect(v.predictions.map((x) => x.server)).toEqual(["db-1", "web-1"]);
    expect(v.predictions[0]).toMatchObject({ alert_level: "critical", time_to_issue_minutes: 45 });
    expect(v.summary).toEqual({
      total_servers: 2,
      at_risk: 1,
      fleet_health: 50,
      probability_30m: 0.4,
      probability_8h: 0.7,
    });
    expect(v.message).toBe("1 of 2 servers have a predicted issue");
  });

  it("says how many records the monitor still needs before it forecasts", () => {
    const v = predictionsView({ state: "warming_up", records: 3, needed: 50 });
    expect(v).toMatchObject({ status: "warming_up", predictions: [], summary: null });
    expect(v.message).toContain("needs 50");
  });
});
