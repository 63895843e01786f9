import { useCockpit } from "../cockpit-context.js";
import { errorText } from "../components/error-text.js";
import { Seed003Section } from "../components/seed003-section.js";
import { useFetch } from "../components/use-fetch.js";

/** Seed 003 dashboard figures (MTTA/MTTR, automation) and seed 002's analysis token cost. */
export default function AnalyticsPage() {
  const { client } = useCockpit();
  const cost = useFetch(() => client.costSummary(30), [client]);
  const c = cost.data;
  return (
    <>
      <h1>Analytics</h1>
      <section className="panel" aria-labelledby="cost" style={{ marginBottom: 12 }}>
        <h2 id="cost">Analysis token cost (last {c?.days ?? 30} days)</h2>
        {cost.error ? <p className="error">{errorText(cost.error)}</p> : null}
        {!c && cost.loading && <p className="muted">Loading…</p>}
        {c && (
          <>
            <dl className="cards">
              <div className="panel">
                <dt className="muted small">Model requests</dt>
                <dd>{c.overall_stats.total_requests}</dd>
              </div>
              <div className="panel">
                <dt className="muted small">Total cost</dt>
                <dd>${c.overall_stats.total_cost_usd.toFixed(4)}</dd>
              </div>
              <div className="panel">
                <dt className="muted small">Per request</dt>
                <dd>${c.overall_stats.avg_cost_per_request.toFixed(5)}</dd>
              </div>
              <div className="panel">
                <dt className="muted small">Cache hit rate</dt>
                <dd>{(c.cache_stats.cache_hit_rate * 100).toFixed(0)}%</dd>
              </div>
            </dl>
            {c.most_expensive_incidents.length > 0 && (
              <table style={{ marginTop: 12 }}>
                <thead>
                  <tr>
                    <th scope="col">Most expensive incidents</th>
                    <th scope="col">Requests</th>
                    <th scope="col">Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {c.most_expensive_incidents.map((x) => (
                    <tr key={x.incident_id}>
                      <td>{x.title}</td>
                      <td>{x.request_count}</td>
                      <td className="mono">${x.total_cost.toFixed(4)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>
      <Seed003Section title="Dashboard" path="/api/v1/dashboard/stats" />
      <Seed003Section title="Incident trend (24 h)" path="/api/v1/dashboard/metrics/incidents?period=24h" />
      <Seed003Section title="Time to resolve (24 h)" path="/api/v1/dashboard/metrics/resolution-time?period=24h" />
      <Seed003Section title="Automation rate" path="/api/v1/dashboard/metrics/automation" />
    </>
  );
}
