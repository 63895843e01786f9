import type { AegisClient, Role } from "@aegis/sdk";
import { createContext, useContext } from "react";
import type { ConnectionState } from "./live/live-connection.js";
import type { LiveStore } from "./live/live-store.js";
import type { Session } from "./session/session.js";

/** What every page reaches: the signed-in session, its API client and the live state. */
export interface Cockpit {
  session: Session;
  client: AegisClient;
  role: Role | null;
  live: LiveStore;
  connection: ConnectionState;
  navigate: (path: string, replace?: boolean) => void;
}

export const CockpitContext = createContext<Cockpit | null>(null);

export function useCockpit(): Cockpit {
  const c = useContext(CockpitContext);
  if (!c) throw new Error("useCockpit outside the signed-in shell");
  return c;
}
