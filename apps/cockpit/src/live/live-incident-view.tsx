import { useCockpit } from "../cockpit-context.js";
import { StatusBadge } from "../components/status-badge.js";
import { DecisionButtons } from "./decision-buttons.js";
import type { LiveIncident } from "./frame-reducer.js";
import { HypothesesPanel } from "./hypotheses-panel.js";
import { formatDuration, timeSteps } from "./step-durations.js";

/** One incident as its frames arrive: the pipeline, the analysis typing in, the council, actions and checks. */
export function LiveIncidentView({ incident: i }: { incident: LiveIncident }) {
  const { navigate } = useCockpit();
  const steps = timeSteps(i.steps);
  const final = i.status === "RESOLVED" || i.status === "FAILED";
  return (
    <article
      className="panel"
      aria-labelledby="live-title"
      data-incident={i.id}
      data-status={i.status}
      data-awaiting={String(i.awaitingApproval)}
    >
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <h2 id="live-title" style={{ margin: 0 }}>
          {i.alertType || "Incident"} <span className="mono muted">{i.id}</span>
        </h2>
        <span aria-live="polite" data-testid="live-status">
          <StatusBadge value={i.status} />
        </span>
      </div>
      <p className="small">
        <a
          href={`/ui/incidents/${encodeURIComponent(i.id)}`}
          onClick={(e) => {
            e.preventDefault();
            navigate(`/ui/incidents/${encodeURIComponent(i.id)}`);
          }}
        >
          Open the full record
        </a>
      </p>
      {(i.awaitingApproval || i.status === "AWAITING_APPROVAL") && <DecisionButtons incidentId={i.id} />}
      {final && (
        <p className={i.status === "RESOLVED" ? "notice" : "error"} role="status">
          {i.status === "RESOLVED"
            ? `Resolved${i.resolvedAt ? ` at ${new Date(i.resolvedAt).toLocaleTimeString()}` : ""}.`
            : `Failed: ${i.error ?? "see the timeline"}`}
        </p>
      )}

      <h3>Pipeline</h3>
      {steps.length === 0 ? (
        <p className="muted">Waiting for the first step…</p>
      ) : (
        <ol className="stepper" aria-label="Pipeline steps">
          {steps.map((s, n) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps have no id, and two may share a timestamp
            <li key={`${s.at}-${n}`} className={n === steps.length - 1 ? "last" : undefined}>
              <span className="mark" aria-hidden="true" />
              <span>
                <strong>{s.status.replaceAll("_", " ")}</strong> <span className="small">{s.message}</span>
                {s.agent && <span className="small muted"> · {s.agent}</span>}
              </span>
              <span className="small muted">
                {s.durationMs !== null ? formatDuration(s.durationMs) : final ? "" : "running"}
              </span>
            </li>
          ))}
        </ol>
      )}

      <h3>Analysis</h3>
      {i.thinking && <p className="small muted">{i.thinking}</p>}
      <div className="analysis" aria-live="polite" aria-busy={!i.analysis && i.analysisText !== ""}>
        {i.analysisText || <span className="muted">No analysis yet.</span>}
      </div>
      {i.analysis && (
        <p className="small">
          Root cause: <strong>{i.analysis.root_cause}</strong> · proposed action <strong>{i.analysis.action}</strong> ·
          confidence {Math.round(i.analysis.confidence * 100)}%
        </p>
      )}

      <h3>Hypotheses</h3>
      <HypothesesPanel incidentId={i.id} refreshKey={i.analysis ? "analysed" : "pending"} />

      <h3>Council</h3>
      {i.votes.length === 0 ? (
        <p className="muted">No votes yet.</p>
      ) : (
        <div className="votes">
          {i.votes.map((v) => (
            <div key={v.role} className="panel">
              <strong>{v.role.replaceAll("_", " ")}</strong> <StatusBadge value={v.verdict} />
              <p className="small">{v.reasoning}</p>
            </div>
          ))}
        </div>
      )}
      {i.decision && (
        <p className="small">
          Decision: <StatusBadge value={i.awaitingApproval ? "NEEDS_REVIEW" : i.decision.final_verdict} />{" "}
          {i.decision.summary}
          {i.decision.policy_violations?.length ? ` · policy: ${i.decision.policy_violations.join("; ")}` : ""}
        </p>
      )}

      <h3>Actions and health checks</h3>
      {i.actions.length === 0 && i.healthChecks.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="small">
          {i.actions.map((a) => (
            <li key={`a-${a.at}`}>
              {new Date(a.at).toLocaleTimeString()} · {a.action} on <span className="mono">{a.container}</span>
            </li>
          ))}
          {i.healthChecks.map((h) => (
            <li key={`h-${h.attempt}-${h.at}`}>
              {new Date(h.at).toLocaleTimeString()} · health check {h.attempt}: {h.healthy ? "healthy" : "unhealthy"}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
