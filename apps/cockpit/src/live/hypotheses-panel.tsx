import type { Hypothesis } from "@aegis/contracts";
import { useCockpit } from "../cockpit-context.js";
import { errorText } from "../components/error-text.js";
import { useFetch } from "../components/use-fetch.js";

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Ranked hypotheses with their confidence interval drawn as a bar, and the evidence for and against. */
export function HypothesesPanel({ incidentId, refreshKey }: { incidentId: string; refreshKey: string }) {
  const { client } = useCockpit();
  const h = useFetch(() => client.hypotheses(incidentId), [incidentId, refreshKey]);
  if (h.error) return <p className="error">{errorText(h.error)}</p>;
  if (!h.data) return <p className="muted">Loading hypotheses…</p>;
  if (h.data.length === 0) return <p className="muted">No hypotheses recorded for this incident yet.</p>;
  return (
    <ol style={{ paddingLeft: 18, margin: 0 }}>
      {h.data.map((x: Hypothesis) => (
        <li key={x.id} style={{ marginBottom: 10 }}>
          <strong>{x.claim}</strong>{" "}
          <span className="small muted">
            {pct(x.confidence_score)} (interval {pct(x.confidence_lower)}–{pct(x.confidence_upper)})
            {x.provider ? ` · ${x.provider}` : ""}
          </span>
          <div
            className="ci"
            role="img"
            aria-label={`confidence ${pct(x.confidence_score)}, interval ${pct(x.confidence_lower)} to ${pct(x.confidence_upper)}`}
          >
            <span
              className="range"
              style={{
                left: pct(x.confidence_lower),
                width: pct(Math.max(0, x.confidence_upper - x.confidence_lower)),
              }}
            />
            <span className="point" style={{ left: `calc(${pct(x.confidence_score)} - 2px)` }} />
          </div>
          {x.description && <p className="small">{x.description}</p>}
          {x.supporting_evidence.length > 0 && (
            <details>
              <summary className="small">Evidence for ({x.supporting_evidence.length})</summary>
              <ul className="small mono">
                {x.supporting_evidence.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            </details>
          )}
          {x.contradicting_evidence.length > 0 && (
            <details>
              <summary className="small">Evidence against ({x.contradicting_evidence.length})</summary>
              <ul className="small mono">
                {x.contradicting_evidence.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
