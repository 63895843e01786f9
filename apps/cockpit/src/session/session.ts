import { AegisClient, type ProjectRef, type Role, type SignedInUser } from "@aegis/sdk";

/** How the person signed in: a user with a password (access token + refresh cookie) or an API key. */
export type Session =
  | {
      kind: "user";
      user: SignedInUser;
      projects: ProjectRef[];
      projectId: string;
      role: Role;
      accessToken: string;
    }
  | { kind: "api_key"; apiKey: string; role: null; projectId: null };

const STORAGE_KEY = "aegis.cockpit.session";

/**
 * The session survives a reload in sessionStorage (this tab only). The refresh token is never stored here:
 * it is the server's httpOnly cookie.
 */
export function loadSession(storage: Storage = sessionStorage): Session | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null, storage: Storage = sessionStorage): void {
  if (s) storage.setItem(STORAGE_KEY, JSON.stringify(s));
  else storage.removeItem(STORAGE_KEY);
}

/**
 * The API client of a session. A user's client renews an expired access token once with the refresh cookie
 * (`onRenewed` keeps the new one); an API key is sent as `X-API-Key`.
 */
export function clientFor(
  s: Session,
  origin: string,
  onRenewed: (accessToken: string) => void,
  onExpired: () => void,
): AegisClient {
  if (s.kind === "api_key") return new AegisClient(origin, s.apiKey);
  let token = s.accessToken;
  const plain = new AegisClient(origin);
  return new AegisClient(origin, undefined, {
    bearer: () => token,
    renew: async () => {
      try {
        token = (await plain.refresh()).access_token;
        onRenewed(token);
        return true;
      } catch {
        onExpired();
        return false;
      }
    },
  });
}

/** The `/ws` URL for a session: a user's short-lived ws token, or the API key. */
export async function wsUrl(s: Session, client: AegisClient, location: Location): Promise<string> {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const token = s.kind === "api_key" ? s.apiKey : (await client.wsToken()).token;
  // `frames=all`: the product's added frames (monitor alerts) too, beyond seed 000's set.
  return `${proto}//${location.host}/ws?token=${encodeURIComponent(token)}&frames=all`;
}
