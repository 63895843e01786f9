import { AegisApiError } from "@aegis/sdk";
import { type FormEvent, useState } from "react";
import { useCockpit } from "../cockpit-context.js";
import { errorText } from "./error-text.js";

/** Seed 003 `POST /api/v1/agent/feedback`: was the diagnosis helpful, how accurate (1–5). */
export function FeedbackForm({ incidentId }: { incidentId: string }) {
  const { client } = useCockpit();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const qs = new URLSearchParams({
      incident_id: incidentId,
      helpful: String(f.get("helpful") === "yes"),
      accuracy: String(f.get("accuracy")),
    });
    const path = `/api/v1/agent/feedback?${qs}`;
    try {
      await client.call("POST", path);
      setResult({ ok: true, text: "Thanks: feedback recorded." });
    } catch (err) {
      const missing = err instanceof AegisApiError && err.status === 404;
      setResult({ ok: false, text: missing ? "Feedback is not available on this server yet (404)." : errorText(err) });
    }
  };
  return (
    <form className="row" onSubmit={submit} aria-label="Feedback on the diagnosis">
      <label>
        Helpful?
        <select name="helpful" defaultValue="yes">
          <option value="yes">yes</option>
          <option value="no">no</option>
        </select>
      </label>
      <label>
        Accuracy (1–5)
        <select name="accuracy" defaultValue="4">
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <button type="submit">Send feedback</button>
      {result && (
        <p className={result.ok ? "notice" : "error"} role="status" style={{ flexBasis: "100%" }}>
          {result.text}
        </p>
      )}
    </form>
  );
}
