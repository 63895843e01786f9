import { type FormEvent, useState } from "react";
import { useCockpit } from "../cockpit-context.js";
import { errorText } from "../components/error-text.js";

/** Alerts the demo fleet knows how to show, with logs the analysts recognise. */
const SAMPLES: Record<string, { logs: string; severity: string }> = {
  "Memory Leak": {
    logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request",
    severity: "CRITICAL",
  },
  "High Latency": {
    logs: "p99 latency 4200ms on /api/orders; upstream pool saturated; queue depth 900",
    severity: "WARNING",
  },
  "Crash Loop": { logs: "process exited with code 137; restarting (attempt 5); OOMKilled", severity: "CRITICAL" },
};

/** `POST /webhook` with a sample alert, to watch the pipeline from end to end. */
export function SendTestIncident({ onSent }: { onSent: (id: string) => void }) {
  const { client } = useCockpit();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const alert = String(form.get("alert_type"));
    const sample = SAMPLES[alert] ?? { logs: "", severity: "WARNING" };
    setBusy(true);
    setError(null);
    try {
      const r = await client.sendIncident({
        incident_id: `test-${Date.now().toString(36)}`,
        alert_type: alert,
        logs: String(form.get("logs") || sample.logs),
        container_name: String(form.get("container") || "buggy-app-v2"),
        severity: sample.severity,
      });
      onSent(r.incident_id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={submit} aria-label="Send a test incident">
      <h2>Send a test incident</h2>
      <div className="row">
        <label>
          Alert
          <select name="alert_type" defaultValue="Memory Leak">
            {Object.keys(SAMPLES).map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Container
          <input name="container" defaultValue="buggy-app-v2" />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? "Sending…" : "Send"}
        </button>
      </div>
      <label style={{ marginTop: 8 }}>
        Logs (optional; the alert's sample otherwise)
        <textarea name="logs" rows={2} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
