import { useState } from "react";
import { useCockpit } from "../cockpit-context.js";
import { errorText } from "../components/error-text.js";
import { can } from "../session/permissions.js";

/** Approve / reject an incident the council sent to a human; not shown to those who may not decide. */
export function DecisionButtons({ incidentId, onDecided }: { incidentId: string; onDecided?: () => void }) {
  const { client, role } = useCockpit();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState("");
  if (!can(role, "approve")) {
    return <p className="muted small">Waiting for a member of the project to approve or reject.</p>;
  }
  const decide = async (verb: "approve" | "reject") => {
    setBusy(true);
    setError(null);
    try {
      await client[verb](incidentId, note ? { note } : {});
      onDecided?.();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="panel" style={{ borderColor: "var(--warn)" }}>
      <h3 style={{ marginTop: 0 }}>Awaiting your decision</h3>
      <label>
        Note (optional)
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </label>
      <div className="row" style={{ marginTop: 8 }}>
        <button type="button" className="primary" disabled={busy} onClick={() => void decide("approve")}>
          Approve action
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void decide("reject")}>
          Reject action
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
