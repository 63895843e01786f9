/** jose loads on first use: a server reached only with API keys never signs or reads a token (ADR 0025, eighth round). */
let jose: Promise<typeof import("jose")> | undefined;
const loadJose = () => {
  jose ??= import("jose");
  return jose;
};

export const ACCESS_TTL_SECONDS = 15 * 60;
export const REFRESH_TTL_SECONDS = 7 * 24 * 3600;
/** A WebSocket token only has to survive the page opening the socket. */
export const WS_TTL_SECONDS = 60;

/** What an access token says: who, in which tenant, acting on which project, in which session. */
export interface AccessClaims {
  userId: string;
  tenantId: string;
  projectId: string;
  /** The refresh-token family (session); logging out or a detected reuse revokes it. */
  sessionId: string;
}

type Use = "access" | "ws";

/** HS256 access and WebSocket tokens signed with the server's secret. */
export class TokenIssuer {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(c: AccessClaims, use: Use = "access"): Promise<string> {
    const { SignJWT } = await loadJose();
    return new SignJWT({ tid: c.tenantId, pid: c.projectId, sid: c.sessionId, use })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(c.userId)
      .setIssuer("aegis")
      .setIssuedAt()
      .setExpirationTime(`${use === "ws" ? WS_TTL_SECONDS : ACCESS_TTL_SECONDS}s`)
      .sign(this.key);
  }

  /** The claims of a valid, unexpired token; null for anything else (including a non-JWT string). */
  async verify(token: string): Promise<AccessClaims | null> {
    const { errors, jwtVerify } = await loadJose();
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ["HS256"], issuer: "aegis" });
      const { sub, tid, pid, sid, use } = payload;
      if (typeof sub !== "string" || typeof tid !== "string" || typeof pid !== "string" || typeof sid !== "string") {
        return null;
      }
      if (use !== "access" && use !== "ws") return null;
      return { userId: sub, tenantId: tid, projectId: pid, sessionId: sid };
    } catch (err) {
      if (err instanceof errors.JOSEError) return null;
      throw err;
    }
  }
}
