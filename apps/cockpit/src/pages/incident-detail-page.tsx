import type { LifecycleState } from "@aegis/contracts";
import { useState } from "react";
import { useCockpit } from "../cockpit-context.js";
import { errorText } from "../components/error-text.js";
import { FeedbackForm } from "../components/feedback-form.js";
import { Seed003Section } from "../components/seed003-section.js";
import { StatusBadge } from "../components/status-badge.js";
import { useFetch } from "../components/use-fetch.js";
import { useThrottled } from "../components/use-throttled.js";
import { DecisionButtons } from "../live/decision-buttons.js";
import { HypothesesPanel } from "../live/hypotheses-panel.js";
import { useLive } from "../live/live-store.js";
import { formatDuration } from "../live/step-durations.js";
import { can } from "../session/permissions.js";

const VERB: Partial<Record<LifecycleState, string>> = {
  acknowledged: "Acknowledge",
  investigating: "Start investigating",
  mitigated: "Mark mitigated",
  resolved: "Resolve",
  learned: "Mark learned",
  inconclusive: "Mark inconclusive",
};

/** One incident's record: lifecycle (with its allowed moves), the pipeline's steps, analysis, council. */
export function IncidentDetailPage({ id }: { id: string }) {
  const { client, role, live, navigate } = useCockpit();
  // Frames about this incident refresh the record (at most every 1.5 s while it streams).
  const mark = useThrottled(
    useLive(live, (s) => s.incidents[id]?.lastUpdate ?? ""),
    1500,
  );
  const v1 = useFetch(() => client.incidentV1(id), [client, id, mark]);
  const result = useFetch(() => client.incident(v1.data?.incident_id ?? id), [client, id, mark, v1.data?.incident_id]);
  const workflow = useFetch(() => client.workflow(id), [client, id, mark]);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);

  if (v1.error)
    return (
      <p className="error" role="alert">
        {errorText(v1.error)}
      </p>
    );
  const i = v1.data;
  if (!i) return <p>Loading…</p>;
  const r = result.data;

  const move = async (state: LifecycleState) => {
    setError(null);
    try {
      await client.changeState(i.id, state, note || undefined);
      setNote("");
      v1.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <>
      <p>
        <a
          href="/ui/incidents"
          onClick={(e) => {
            e.preventDefault();
            navigate("/ui/incidents");
          }}
        >
          ← All incidents
        </a>
      </p>
      <h1>
        <span className="mono">{i.reference}</span> {i.title}
      </h1>
      <div className="row" style={{ marginBottom: 12 }}>
        <span>
          State <StatusBadge value={i.state} />
        </span>
        <span>
          Automation <StatusBadge value={i.automation_status} />
        </span>
        <span>
          Severity <StatusBadge value={i.severity} />
        </span>
        <span className="muted small">
          Service {i.service_name ?? "—"} · detected {new Date(i.detected_at).toLocaleString()}
          {i.duration_seconds !== null ? ` · open ${formatDuration(i.duration_seconds * 1000)}` : ""}
        </span>
      </div>

      {i.automation_status === "AWAITING_APPROVAL" && (
        <div style={{ marginBottom: 12 }}>
          <DecisionButtons incidentId={i.incident_id} onDecided={v1.reload} />
        </div>
      )}

      <section className="panel" aria-labelledby="lifecycle" style={{ marginBottom: 12 }}>
        <h2 id="lifecycle">Lifecycle</h2>
        {can(role, "change_state") && i.allowed_transitions.length > 0 ? (
          <div className="row">
            <label>
              Note (optional)
              <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
            </label>
            {i.allowed_transitions.map((s) => (
              <button key={s} type="button" onClick={() => void move(s)}>
                {VERB[s] ?? s}
              </button>
            ))}
          </div>
        ) : (
          <p className="muted small">No state change available to you.</p>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {i.transitions.length > 0 && (
          <ul className="small">
            {i.transitions.map((t) => (
              <li key={t.at}>
                {new Date(t.at).toLocaleString()} · {t.from} → {t.to} by {t.by.id}
                {t.note ? ` — ${t.note}` : ""}
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="grid2">
        <section className="panel" aria-labelledby="timeline">
          <h2 id="timeline">Timeline</h2>
          {workflow.data ? (
            <ol className="stepper">
              {workflow.data.steps.map((s) => (
                <li key={s.index}>
                  <span className="mark" aria-hidden="true" />
                  <span>
                    <strong>{s.name.replaceAll("_", " ")}</strong> <span className="small">{s.message}</span>
                    <br />
                    <span className="small muted">{new Date(s.started_at).toLocaleTimeString()}</span>
                  </span>
                  <span className="small muted">{s.duration_ms !== null ? formatDuration(s.duration_ms) : ""}</span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">{workflow.error ? errorText(workflow.error) : "Loading…"}</p>
          )}
        </section>
        <section className="panel" aria-labelledby="analysis">
          <h2 id="analysis">Analysis</h2>
          {i.description && (
            <p className="small mono" style={{ whiteSpace: "pre-wrap" }}>
              {i.description.slice(0, 2000)}
            </p>
          )}
          {r?.analysis ? (
            <>
              <p>
                Root cause: <strong>{r.analysis.root_cause}</strong>
              </p>
              <p className="small">{r.analysis.justification}</p>
              <p className="small">
                Proposed action <strong>{r.analysis.action}</strong> · confidence{" "}
                {Math.round(r.analysis.confidence * 100)}%
              </p>
            </>
          ) : (
            <p className="muted">No analysis recorded.</p>
          )}
          <h3>Hypotheses and evidence</h3>
          <HypothesesPanel incidentId={i.incident_id} refreshKey={mark} />
          <h3>Feedback</h3>
          <FeedbackForm incidentId={i.incident_id} />
          <h3>Council</h3>
          {r?.council_decision ? (
            <>
              <p className="small">
                <StatusBadge value={r.council_decision.final_verdict} /> {r.council_decision.summary}
              </p>
              <ul className="small">
                {r.council_decision.votes.map((v) => (
                  <li key={v.role}>
                    <strong>{v.role.replaceAll("_", " ")}</strong> {v.verdict}: {v.reasoning}
                  </li>
                ))}
              </ul>
              {r.council_decision.evidence_check && (
                <p className="small muted">
                  Independent reading: {r.council_decision.evidence_check.independent.root_cause} (
                  {r.council_decision.evidence_check.supported ? "supports" : "does not support"} the proposal)
                </p>
              )}
            </>
          ) : (
            <p className="muted">No council decision recorded.</p>
          )}
        </section>
      </div>
      <div style={{ marginTop: 12 }}>
        <Seed003Section
          title="Related incidents"
          path={`/api/v1/incidents/${encodeURIComponent(i.id)}/related?limit=5`}
        />
      </div>
    </>
  );
}
