import { AegisClient, type Role } from "@aegis/sdk";
import type { ReactNode } from "react";
import { type Cockpit, CockpitContext } from "./cockpit-context.js";
import { LiveStore } from "./live/live-store.js";
import type { Session } from "./session/session.js";

/** A cockpit context for component tests: the given role, and a client whose requests `fetch` answers. */
export function testCockpit(
  role: Role | null,
  fetch: typeof globalThis.fetch,
  navigate = (_: string) => undefined,
): Cockpit {
  const session: Session =
    role === null
      ? { kind: "api_key", apiKey: "k", role: null, projectId: null }
      : {
          kind: "user",
          user: { id: "u", email: "a@b.c", full_name: "A", tenant_id: "t", project_id: "p", role },
          projects: [{ id: "p", name: "P", role }],
          projectId: "p",
          role,
          accessToken: "tok",
        };
  return {
    session,
    client: new AegisClient("http://cockpit.test", undefined, { fetch, bearer: () => "tok" }),
    role,
    live: new LiveStore(),
    connection: "open",
    navigate,
  };
}

export function WithCockpit({ cockpit, children }: { cockpit: Cockpit; children: ReactNode }) {
  return <CockpitContext.Provider value={cockpit}>{children}</CockpitContext.Provider>;
}
