import type { FastifyRequest } from "fastify";
import { assertRole } from "../accounts/require-role.js";
import type { Identity, Principal, Role } from "../ports/identity.js";
import { AuthError, ForbiddenError } from "../shared/errors.js";

const unauthenticated = () => new AuthError("missing API key: send X-API-Key or Authorization: Bearer");

/** The project a request acts on; a route reached without authentication is refused, never given a default. */
export function projectOf(req: FastifyRequest): string {
  if (req.projectId === undefined) throw unauthenticated();
  return req.projectId;
}

/** Who the request acts as (see `projectOf`). */
export function principalOf(req: FastifyRequest): Principal {
  if (req.principal === undefined) throw unauthenticated();
  return req.principal;
}

/** The request's whole identity, for services that check project access themselves. */
export function identityOf(req: FastifyRequest): Identity {
  return { principal: principalOf(req), projectId: projectOf(req), sessionId: req.sessionId };
}

/** A signed-in user's id and session; API keys are refused (403), having neither. */
export function userSessionOf(req: FastifyRequest): { userId: string; sessionId: string } {
  const principal = principalOf(req);
  if (principal.kind !== "user" || !req.sessionId) throw new ForbiddenError("signed-in users only");
  return { userId: principal.id, sessionId: req.sessionId };
}

/** Refuse (403) a caller whose role in the request's project is below `min`. */
export function requireRole(req: FastifyRequest, min: Role): void {
  assertRole(principalOf(req).role, min);
}
