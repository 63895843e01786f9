import type { FastifyRequest } from "fastify";
import type { Principal } from "../ports/identity.js";
import { AuthError } from "../shared/errors.js";

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
