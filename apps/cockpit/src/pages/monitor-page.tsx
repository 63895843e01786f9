import type { FleetPredictions, ServerPrediction } from "@aegis/contracts";
import { useState } from "react";
import { useCockpit } from "../cockpit-context.js";
import { errorText } from "../components/error-text.js";
import { StatusBadge } from "../components/status-badge.js";
import { useFetch } from "../components/use-fetch.js";
import { MetricChart } from "../fleet/metric-chart.js";

/** A risk 0–100 as a colour from green through amber to red (the number is printed beside it). */
export function riskColour(risk: number): string {
  const r = Math.max(0, Math.min(100, risk)) / 100;
  const hue = Math.round(120 * (1 - r));
  return `hsl(${hue} 75% 62%)`;
}

/** Seed 004: the fleet's risk as a heatmap; one server's forecast and the reasons for its risk. */
export default function MonitorPage() {
  const { client } = useCockpit();
  const [tick, setTick] = useState(0);
  const p = useFetch(() => client.predictions(), [client, tick]);
  const [chosen, setChosen] = useState<string | null>(null);
  if (p.error)
    return (
      <p className="error" role="alert">
        {errorText(p.error)}
      </p>
    );
  if (!p.data) return <p>Loading…</p>;
  if ("error" in p.data) {
    return (
      <>
        <h1>Predictive monitor</h1>
        <p className="notice" role="status">
          The monitor is warming up: {p.data.message}. Feed metrics to <span className="mono">POST /feed/data</span>.
        </p>
        <button type="button" onClick={() => setTick((t) => t + 1)}>
          Check again
        </button>
      </>
    );
  }
  const fleet: FleetPredictions = p.data;
  const servers = Object.entries(fleet.predictions).sort((a, b) => b[1].risk_score - a[1].risk_score);
  const selected = chosen && fleet.predictions[chosen] ? chosen : (servers[0]?.[0] ?? null);
  const s = fleet.summary;
  return (
    <>
      <h1>Predictive monitor</h1>
      <p className="small muted">
        {s.total_servers} servers · {s.critical} critical · {s.warning} warning · {s.degraded} degraded · {s.healthy}{" "}
        healthy · fleet health {s.fleet_health.toFixed(0)} · P(issue in 30 min) {(s.prob_30m * 100).toFixed(0)}% · in 8
        h {(s.prob_8h * 100).toFixed(0)}% · as of {new Date(fleet.timestamp).toLocaleTimeString()}{" "}
        <button type="button" onClick={() => setTick((t) => t + 1)}>
          Refresh
        </button>
      </p>
      <section className="panel" aria-labelledby="heat" style={{ marginBottom: 12 }}>
        <h2 id="heat">Fleet risk</h2>
        <div className="heatmap">
          {servers.map(([name, x]) => (
            <button
              key={name}
              type="button"
              aria-pressed={name === selected}
              style={{
                background: riskColour(x.risk_score),
                outline: name === selected ? "3px solid var(--text)" : undefined,
              }}
              onClick={() => setChosen(name)}
              aria-label={`${name}: risk ${x.risk_score.toFixed(0)}, ${x.alert.label}`}
            >
              <strong>{name}</strong>
              <br />
              risk {x.risk_score.toFixed(0)} · {x.alert.level}
            </button>
          ))}
        </div>
      </section>
      {selected && fleet.predictions[selected] && <ServerDetail name={selected} p={fleet.predictions[selected]} />}
    </>
  );
}

function ServerDetail({ name, p }: { name: string; p: ServerPrediction }) {
  const { client } = useCockpit();
  const x = useFetch(() => client.explain(name), [client, name]);
  const times = p.forecast.timestamps.map((t) => Date.parse(t) / 1000);
  return (
    <div className="grid2">
      <section className="panel" aria-labelledby="forecast">
        <h2 id="forecast">
          {name} <StatusBadge value={p.alert.level} />
        </h2>
        <p className="small">
          Risk {p.risk_score.toFixed(0)} · profile {p.profile} · anomaly {p.anomaly_score.toFixed(2)}
          {p.message ? ` · ${p.message}` : ""}
        </p>
        <MetricChart
          title="Forecast"
          unit="%"
          times={times}
          series={[
            { label: "CPU", values: p.forecast.cpu_pct, color: "#2563eb" },
            { label: "Memory", values: p.forecast.mem_pct, color: "#9333ea" },
          ]}
        />
      </section>
      <section className="panel" aria-labelledby="why">
        <h2 id="why">Why</h2>
        {x.error ? <p className="error">{errorText(x.error)}</p> : null}
        {x.data && (
          <>
            <p className="small muted">
              Baseline risk {x.data.shap.baseline_risk.toFixed(1)}; contributions add up to the risk.
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  <th scope="col">Contribution</th>
                </tr>
              </thead>
              <tbody>
                {x.data.shap.top_features.map((f) => (
                  <tr key={f.feature}>
                    <td>{f.feature}</td>
                    <td className="mono">
                      {f.contribution >= 0 ? "+" : ""}
                      {f.contribution.toFixed(1)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="small">{x.data.attention.analysis}</p>
            {x.data.counterfactuals.length > 0 && (
              <>
                <h3>What would change it</h3>
                <ul className="small">
                  {x.data.counterfactuals.map((c) => (
                    <li key={c.scenario}>
                      {c.scenario}: {c.impact} (risk after {c.risk_after.toFixed(0)}) — {c.recommendation}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </section>
    </div>
  );
}
