import type { FastifyReply, FastifyRequest } from "fastify";
import type { SessionTokens } from "../../accounts/session-tokens.js";
import { ACCESS_TTL_SECONDS, REFRESH_TTL_SECONDS } from "../../accounts/token-issuer.js";

/** The refresh cookie only travels to the endpoints that spend or revoke it. */
const REFRESH_PATH = "/api/v1/auth";

const base = { httpOnly: true, sameSite: "strict", secure: "auto" } as const;

/** Set the seed's httpOnly cookies: `access_token` (15 min) and, when issued, `refresh_token` (7 days). */
export function setSessionCookies(reply: FastifyReply, tokens: SessionTokens): void {
  reply.setCookie("access_token", tokens.accessToken, { ...base, path: "/", maxAge: ACCESS_TTL_SECONDS });
  if (tokens.refreshToken) {
    reply.setCookie("refresh_token", tokens.refreshToken, { ...base, path: REFRESH_PATH, maxAge: REFRESH_TTL_SECONDS });
  }
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie("access_token", { ...base, path: "/" });
  reply.clearCookie("refresh_token", { ...base, path: REFRESH_PATH });
}

/** The refresh token from the body (CLI, SDK) or the cookie (browser). */
export function presentedRefresh(req: FastifyRequest, body: { refresh_token?: string | undefined } | null | undefined) {
  return body?.refresh_token ?? req.cookies?.refresh_token;
}
