import { useMemo, useState } from "react";
import { useCockpit } from "../cockpit-context.js";
import { ConfirmButton } from "../components/confirm-button.js";
import { errorText } from "../components/error-text.js";
import { StatusBadge } from "../components/status-badge.js";
import { useFetch } from "../components/use-fetch.js";
import { MetricChart } from "../fleet/metric-chart.js";
import { networkRates } from "../fleet/network-rate.js";
import { TopologyGraph } from "../fleet/topology-graph.js";
import type { MetricSample } from "../live/frame-reducer.js";
import { useLive } from "../live/live-store.js";
import { can } from "../session/permissions.js";

/** Containers with live charts, manual scaling, and the topology redrawn whenever the fleet changes. */
export default function FleetPage() {
  const { client, live, role } = useCockpit();
  const fleetVersion = useLive(live, (s) => s.fleetVersion);
  const containers = useLive(live, (s) => s.containers);
  const latest = useLive(live, (s) => s.latestMetrics);
  const lastScale = useLive(live, (s) => s.lastScale);
  const topology = useFetch(() => client.topology(), [client, fleetVersion]);
  const fallback = useFetch(() => client.containers(), [client, fleetVersion]);
  const [count, setCount] = useState(2);
  const [chosen, setChosen] = useState<string | null>(null);
  const list = containers.length > 0 ? containers : (fallback.data ?? []);
  const names = latest.map((m) => m.name);
  const selected = chosen && names.includes(chosen) ? chosen : (names[0] ?? null);
  const dark = document.documentElement.dataset.theme === "dark";

  return (
    <>
      <h1>Fleet</h1>
      <section className="panel" aria-labelledby="scale" style={{ marginBottom: 12 }}>
        <h2 id="scale">Manual scaling</h2>
        {can(role, "scale") ? (
          <div className="row">
            <label>
              Replicas
              <input
                type="number"
                min={1}
                max={20}
                value={count}
                onChange={(e) => setCount(Number(e.target.value) || 1)}
              />
            </label>
            <ConfirmButton
              label="Scale up"
              question={`Start ${count} replica(s) of the service behind the load balancer? No incident or council is involved.`}
              action={() => client.scaleUp(count)}
              onDone={topology.reload}
            />
            <ConfirmButton
              label="Scale down"
              className="danger"
              question="Remove every replica and keep only the base container?"
              action={() => client.scaleDown()}
              onDone={topology.reload}
            />
          </div>
        ) : (
          <p className="muted small">Viewers cannot scale.</p>
        )}
        {lastScale && (
          <p className="small" role="status">
            Last scale event: {lastScale.summary} at {new Date(lastScale.at).toLocaleTimeString()}
          </p>
        )}
      </section>

      <section className="panel" aria-labelledby="topo" style={{ marginBottom: 12 }}>
        <h2 id="topo">Topology</h2>
        {topology.error ? <p className="error">{errorText(topology.error)}</p> : null}
        {topology.data ? <TopologyGraph topology={topology.data} dark={dark} /> : <p className="muted">Loading…</p>}
      </section>

      <div className="grid2">
        <section className="panel" aria-labelledby="containers">
          <h2 id="containers">Containers ({list.length})</h2>
          <ul className="list">
            {list.map((c) => {
              const m = latest.find((x) => x.name === c.name);
              return (
                <li key={c.id || c.name}>
                  <button type="button" aria-pressed={c.name === selected} onClick={() => setChosen(c.name)}>
                    <span>
                      <strong>{c.name}</strong> <StatusBadge value={c.status} />
                    </span>
                    <span className="small muted">
                      {c.image}
                      {m ? ` · CPU ${m.cpu_percent.toFixed(1)}% · ${m.memory_mb.toFixed(0)} MB` : ""}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
        <section className="panel" aria-labelledby="charts">
          <h2 id="charts">Metrics {selected ? <span className="mono">{selected}</span> : null}</h2>
          {selected ? (
            <ContainerCharts name={selected} />
          ) : (
            <p className="muted">Waiting for the first metrics frame…</p>
          )}
        </section>
      </div>
    </>
  );
}

const EMPTY: readonly MetricSample[] = [];

function ContainerCharts({ name }: { name: string }) {
  const { live } = useCockpit();
  const samples = useLive(live, (s) => s.samples[name] ?? EMPTY);
  const charts = useMemo(() => {
    const t = samples.map((s) => s.t);
    const net = networkRates(samples);
    return {
      t,
      cpu: [{ label: "CPU", values: samples.map((s) => s.cpu), color: "#2563eb" }],
      mem: [{ label: "Memory", values: samples.map((s) => s.memoryMb), color: "#9333ea" }],
      netT: net.t,
      net: [
        { label: "Received", values: net.rx, color: "#0891b2" },
        { label: "Sent", values: net.tx, color: "#ea580c" },
      ],
    };
  }, [samples]);
  return (
    <div style={{ display: "grid", gap: 12 }}>
      <MetricChart title="CPU" unit="%" times={charts.t} series={charts.cpu} />
      <MetricChart title="Memory" unit=" MB" times={charts.t} series={charts.mem} />
      <MetricChart title="Network" unit=" KB/s" times={charts.netT} series={charts.net} />
    </div>
  );
}
