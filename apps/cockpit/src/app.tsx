import { useState } from "react";
import { loadSession, type Session, saveSession } from "./session/session.js";
import { SignIn } from "./session/sign-in.js";
import { Shell } from "./shell.js";
import { useTheme } from "./theme.js";

/** Signed out: the sign-in form. Signed in: the cockpit. */
export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [theme, setTheme] = useTheme();
  const change = (s: Session | null) => {
    saveSession(s);
    setSession(s);
  };
  if (!session) return <SignIn onSignedIn={change} />;
  return <Shell session={session} onSession={change} theme={theme} onTheme={setTheme} />;
}
