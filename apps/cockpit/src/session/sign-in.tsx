import { AegisClient } from "@aegis/sdk";
import { type FormEvent, useState } from "react";
import { errorText } from "../components/error-text.js";
import type { Session } from "./session.js";

/** Sign in with email and password (seed 002), or with an API key. */
export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [mode, setMode] = useState<"password" | "api_key">("password");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      if (mode === "password") {
        const r = await new AegisClient(location.origin).login(String(form.get("email")), String(form.get("password")));
        onSignedIn({
          kind: "user",
          user: r.user,
          projects: r.projects,
          projectId: r.user.project_id,
          role: r.user.role,
          accessToken: r.access_token,
        });
      } else {
        const apiKey = String(form.get("api_key")).trim();
        // Any authenticated read proves the key before the cockpit opens with it.
        await new AegisClient(location.origin, apiKey).listIncidents({ limit: 1 });
        onSignedIn({ kind: "api_key", apiKey, role: null, projectId: null });
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <h1>AegisOps Cockpit</h1>
      <div className="tabs" role="tablist" aria-label="Sign-in method">
        <button type="button" role="tab" aria-selected={mode === "password"} onClick={() => setMode("password")}>
          Email and password
        </button>
        <button type="button" role="tab" aria-selected={mode === "api_key"} onClick={() => setMode("api_key")}>
          API key
        </button>
      </div>
      <form className="panel signin" style={{ margin: 0 }} onSubmit={submit} aria-label="Sign in">
        {mode === "password" ? (
          <>
            <label>
              Email
              <input name="email" type="email" autoComplete="username" required />
            </label>
            <label>
              Password
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
          </>
        ) : (
          <label>
            API key
            <input name="api_key" type="password" autoComplete="off" required />
          </label>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
