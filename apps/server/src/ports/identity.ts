/**
 * Who a request acts as and on which project. The API's auth hook resolves it once per request;
 * services take the project id explicitly, so nothing below the API needs the request.
 */

/** Roles of a principal in a project (the bootstrap admin key is `owner` of the default project). */
export type Role = "owner" | "admin" | "member" | "viewer";

/** An API key (machine) or a signed-in user (human). */
export interface Principal {
  kind: "api_key" | "user";
  /** Stable id, recorded as the actor (e.g. who approved). */
  id: string;
  displayName: string;
  role: Role;
}

/** A principal acting on one project. */
export interface Identity {
  principal: Principal;
  projectId: string;
  /** A signed-in user's session (refresh-token family); absent for API keys. */
  sessionId?: string;
}

/**
 * Resolves a presented credential (API key or bearer token) to an identity, or null when it is not valid.
 * Chosen once at start-up; JWT users and per-project keys plug in here without touching routes.
 */
export interface Authenticator {
  authenticate(presented: string): Promise<Identity | null>;
  /**
   * The identity a principal holds on a project now — null once its key is revoked or expired, its
   * membership or session ended. Checks a link signed on its behalf (ADR 0021), which carries no credential.
   */
  current?(claim: IdentityClaim): Promise<Identity | null>;
}

/** A principal named by id, as a signed download link names it. */
export interface IdentityClaim {
  kind: Principal["kind"];
  id: string;
  projectId: string;
  sessionId?: string;
}
