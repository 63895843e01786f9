import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { type Cockpit, CockpitContext } from "./cockpit-context.js";
import { errorText } from "./components/error-text.js";
import { type ConnectionState, LiveConnection } from "./live/live-connection.js";
import { LiveStore } from "./live/live-store.js";
import { IncidentDetailPage } from "./pages/incident-detail-page.js";
import { IncidentsPage } from "./pages/incidents-page.js";
import { LivePage } from "./pages/live-page.js";
import { clientFor, type Session, wsUrl } from "./session/session.js";
import type { Theme } from "./theme.js";
import { UI, useRoute } from "./use-route.js";

// Pages with heavy libraries (charts, graph layout) load when first opened, not with the first screen.
const FleetPage = lazy(() => import("./pages/fleet-page.js"));
const MonitorPage = lazy(() => import("./pages/monitor-page.js"));
const KnowledgePage = lazy(() => import("./pages/knowledge-page.js"));
const OnCallPage = lazy(() => import("./pages/oncall-page.js"));
const AnalyticsPage = lazy(() => import("./pages/analytics-page.js"));
const AuditPage = lazy(() => import("./pages/audit-page.js"));

const NAV: { path: string; label: string }[] = [
  { path: `${UI}/live`, label: "Live" },
  { path: `${UI}/incidents`, label: "Incidents" },
  { path: `${UI}/fleet`, label: "Fleet" },
  { path: `${UI}/knowledge`, label: "Knowledge" },
  { path: `${UI}/monitor`, label: "Predictive monitor" },
  { path: `${UI}/oncall`, label: "On-call" },
  { path: `${UI}/analytics`, label: "Analytics" },
  { path: `${UI}/audit`, label: "Audit" },
];

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  open: "Live",
  reconnecting: "Reconnecting…",
  closed: "Offline",
};

export function Shell(props: {
  session: Session;
  onSession: (s: Session | null) => void;
  theme: Theme;
  onTheme: (t: Theme) => void;
}) {
  const { session, onSession } = props;
  const [route, navigate] = useRoute();
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [switchError, setSwitchError] = useState<string | null>(null);
  // One client and one live state per credential and project: switching project starts both afresh.
  const scope = session.kind === "user" ? `user:${session.projectId}` : `key:${session.apiKey}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new store when the scope changes
  const live = useMemo(() => new LiveStore(), [scope]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: one client per credential, not per session field
  const client = useMemo(
    () =>
      clientFor(
        session,
        location.origin,
        (accessToken) => session.kind === "user" && onSession({ ...session, accessToken }),
        () => onSession(null),
      ),
    [scope],
  );

  // The projects the user belongs to now (one may have been created since sign-in).
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per client
  useEffect(() => {
    if (session.kind !== "user") return;
    client
      .projects()
      .then((projects) => {
        const same =
          projects.length === session.projects.length &&
          projects.every((p, i) => p.id === session.projects[i]?.id && p.role === session.projects[i]?.role);
        if (!same) onSession({ ...session, projects: projects.map((p) => ({ id: p.id, name: p.name, role: p.role })) });
      })
      .catch(() => undefined);
  }, [client]);

  useEffect(() => {
    if (route.path === "/" || route.path === UI || route.path === `${UI}/`) navigate(`${UI}/live`, true);
  }, [route.path, navigate]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reconnect when the client (credential, project) changes
  useEffect(() => {
    const catchUp = async () => {
      // Whatever happened while the socket was down: the incidents and containers as the server has them now.
      const [incidents, containers] = await Promise.all([client.listIncidents({ limit: 100 }), client.containers()]);
      live.dispatch({ kind: "snapshot", incidents, containers });
    };
    const conn = new LiveConnection({
      url: () => wsUrl(session, client, location),
      onFrame: (frame) => live.dispatch({ kind: "frame", frame }),
      onState: setConnection,
      onOpen: () => void catchUp().catch(() => undefined),
    });
    conn.start();
    return () => conn.stop();
  }, [client, live]);

  const cockpit: Cockpit = { session, client, role: session.role, live, connection, navigate };

  const signOut = async () => {
    if (session.kind === "user") await client.logout().catch(() => undefined);
    onSession(null);
  };

  const switchProject = async (projectId: string) => {
    if (session.kind !== "user") return;
    setSwitchError(null);
    try {
      const r = await client.switchProject(projectId);
      onSession({ ...session, projectId: r.project.id, role: r.project.role, accessToken: r.access_token });
    } catch (e) {
      setSwitchError(errorText(e));
    }
  };

  return (
    <CockpitContext.Provider value={cockpit}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <div className="shell">
        <header className="topbar">
          <span className="brand">AegisOps Cockpit</span>
          <span className="conn" role="status" aria-live="polite" data-connection={connection}>
            <span className={`dot ${connection}`} aria-hidden="true" />
            {CONNECTION_TEXT[connection]}
          </span>
          {session.kind === "user" ? (
            <>
              <label className="row" style={{ flexDirection: "row", alignItems: "center" }}>
                <span>Project</span>
                <select value={session.projectId} onChange={(e) => void switchProject(e.target.value)}>
                  {session.projects.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} ({p.role})
                    </option>
                  ))}
                </select>
              </label>
              <span className="small muted hide-narrow">
                {session.user.email} · {session.role}
              </span>
            </>
          ) : (
            <span className="small muted">API key</span>
          )}
          {switchError && (
            <span className="error small" role="alert">
              {switchError}
            </span>
          )}
          <button type="button" onClick={() => props.onTheme(props.theme === "dark" ? "light" : "dark")}>
            {props.theme === "dark" ? "Light theme" : "Dark theme"}
          </button>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </header>
        <nav className="nav" aria-label="Pages">
          <ul>
            {NAV.map((n) => (
              <li key={n.path}>
                <a
                  href={n.path}
                  aria-current={route.path.startsWith(n.path) ? "page" : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(n.path);
                  }}
                >
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main">
          <Suspense fallback={<p>Loading…</p>}>
            <Page path={route.path} search={route.search} />
          </Suspense>
        </main>
      </div>
    </CockpitContext.Provider>
  );
}

function Page({ path, search }: { path: string; search: string }) {
  const detail = path.match(/^\/ui\/incidents\/([^/]+)$/);
  if (detail?.[1]) return <IncidentDetailPage id={decodeURIComponent(detail[1])} />;
  switch (path) {
    case `${UI}/incidents`:
      return <IncidentsPage search={search} />;
    case `${UI}/fleet`:
      return <FleetPage />;
    case `${UI}/knowledge`:
      return <KnowledgePage />;
    case `${UI}/monitor`:
      return <MonitorPage />;
    case `${UI}/oncall`:
      return <OnCallPage />;
    case `${UI}/analytics`:
      return <AnalyticsPage />;
    case `${UI}/audit`:
      return <AuditPage />;
    default:
      return <LivePage />;
  }
}
