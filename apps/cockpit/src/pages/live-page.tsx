import { useState } from "react";
import { useCockpit } from "../cockpit-context.js";
import { StatusBadge } from "../components/status-badge.js";
import { LiveIncidentView } from "../live/live-incident-view.js";
import { useLive } from "../live/live-store.js";
import { SendTestIncident } from "../live/send-test-incident.js";
import { can } from "../session/permissions.js";

/** Incidents as they happen: the list updates from frames; the selected one is shown step by step. */
export function LivePage() {
  const { live, role } = useCockpit();
  const order = useLive(live, (s) => s.order);
  const incidents = useLive(live, (s) => s.incidents);
  const [chosen, setChosen] = useState<string | null>(null);
  const selectedId = chosen && incidents[chosen] ? chosen : (order[0] ?? null);
  const selected = selectedId ? incidents[selectedId] : undefined;
  return (
    <>
      <h1>Live incidents</h1>
      {can(role, "send_test_incident") && (
        <div style={{ marginBottom: 12 }}>
          <SendTestIncident onSent={setChosen} />
        </div>
      )}
      <div className="grid2">
        <section className="panel" aria-labelledby="recent">
          <h2 id="recent">Recent ({order.length})</h2>
          {order.length === 0 ? (
            <p className="muted">No incidents yet. New ones appear here as they arrive.</p>
          ) : (
            <ul className="list" aria-label="Recent incidents">
              {order.map((id) => {
                const i = incidents[id];
                if (!i) return null;
                return (
                  <li key={id}>
                    <button
                      type="button"
                      aria-pressed={id === selectedId}
                      onClick={() => setChosen(id)}
                      data-incident={id}
                    >
                      <span>
                        <strong>{i.alertType || id}</strong> <StatusBadge value={i.status} />
                      </span>
                      <span className="small muted mono">
                        {id} · {new Date(i.lastUpdate).toLocaleTimeString()}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        {selected ? (
          <LiveIncidentView incident={selected} />
        ) : (
          <section className="panel muted">Select an incident.</section>
        )}
      </div>
    </>
  );
}
