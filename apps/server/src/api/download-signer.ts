import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { Identity } from "../ports/identity.js";

/** Query parameters of a signed link; a route's own parameters keep their names beside them. */
const P = {
  expires: "dl_expires",
  principal: "dl_principal",
  project: "dl_project",
  session: "dl_session",
  sig: "dl_sig",
} as const;

/** Who a link was signed for: re-checked against the accounts on every download (a revoked key's links die). */
export interface SignedClaim {
  kind: "api_key" | "user";
  id: string;
  projectId: string;
  sessionId?: string;
}

export type LinkCheck =
  | { status: "unsigned" }
  | { status: "valid"; claim: SignedClaim }
  | { status: "invalid"; reason: string }
  | { status: "expired"; expiredAt: Date };

/**
 * The dedicated link key: HKDF-SHA256 of the server secret with its own label, so a link signature and
 * a JWT never share a key (and a cluster that shares AEGIS_JWT_SECRET shares links).
 */
export function deriveDownloadKey(serverSecret: string | Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", serverSecret, "aegisops", "download-links/v1", 32));
}

/**
 * Seed 003: "file exports (audit logs, reports) return download URLs valid for 24 hours". A link is the
 * file's path and query plus its expiry and the principal it acts as, with an HMAC-SHA256 over all of
 * them (parameters sorted, so a client that reorders them breaks nothing, but one that changes any
 * breaks the signature). The link alone downloads: no key or cookie rides along (ADR 0021).
 */
export class DownloadSigner {
  constructor(
    private readonly key: Buffer,
    /** How long a link works: AEGIS_DOWNLOAD_LINK_SECS. */
    readonly ttlMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A link to `pathAndQuery` acting as `who`, valid for the configured time or until `notAfter` if that
   * is sooner (a report whose files are kept 24 hours).
   */
  sign(pathAndQuery: string, who: Identity, notAfter?: Date): { url: string; expires_at: string } {
    const url = new URL(pathAndQuery, "http://link");
    for (const name of Object.values(P)) url.searchParams.delete(name);
    let expires = Math.floor((this.now().getTime() + this.ttlMs) / 1000);
    if (notAfter) expires = Math.min(expires, Math.floor(notAfter.getTime() / 1000));
    url.searchParams.set(P.expires, String(expires));
    url.searchParams.set(P.principal, `${who.principal.kind}:${who.principal.id}`);
    url.searchParams.set(P.project, who.projectId);
    if (who.sessionId) url.searchParams.set(P.session, who.sessionId);
    url.searchParams.set(P.sig, this.mac(url.pathname, url.searchParams));
    return { url: `${url.pathname}${url.search}`, expires_at: new Date(expires * 1000).toISOString() };
  }

  /** Whether the request's `method` and `pathAndQuery` (as received) are a signed link, and if so whether it holds. */
  check(method: string, pathAndQuery: string): LinkCheck {
    let url: URL;
    try {
      url = new URL(pathAndQuery, "http://link");
    } catch {
      return { status: "unsigned" };
    }
    const sig = url.searchParams.get(P.sig);
    if (sig === null) return { status: "unsigned" };
    if (method !== "GET" && method !== "HEAD") return { status: "invalid", reason: "a download link is for GET only" };
    // The path signed must be the path routed: no `//host/…`, `/./`, `/../` or other spelling the URL parser rewrites.
    if (url.host !== "link" || url.pathname !== pathAndQuery.split("?")[0]) {
      return { status: "invalid", reason: "the download link's path is not in its signed form" };
    }
    const given = Buffer.from(sig, "base64url");
    const want = Buffer.from(this.mac(url.pathname, url.searchParams), "base64url");
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      return { status: "invalid", reason: "the download link's signature does not match (altered or not ours)" };
    }
    const expires = Number(url.searchParams.get(P.expires));
    const principal = url.searchParams.get(P.principal) ?? "";
    const projectId = url.searchParams.get(P.project) ?? "";
    const colon = principal.indexOf(":");
    const kind = principal.slice(0, colon);
    if (!Number.isInteger(expires) || (kind !== "api_key" && kind !== "user") || !projectId) {
      return { status: "invalid", reason: "the download link is incomplete" };
    }
    if (this.now().getTime() >= expires * 1000) return { status: "expired", expiredAt: new Date(expires * 1000) };
    const sessionId = url.searchParams.get(P.session) ?? undefined;
    return {
      status: "valid",
      claim: { kind, id: principal.slice(colon + 1), projectId, ...(sessionId ? { sessionId } : {}) },
    };
  }

  /** HMAC over the path and every parameter but the signature, sorted by name then value. */
  private mac(path: string, params: URLSearchParams): string {
    const pairs = [...params].filter(([k]) => k !== P.sig).sort(([a, x], [b, y]) => (a === b ? cmp(x, y) : cmp(a, b)));
    const canonical = `${path}\n${new URLSearchParams(pairs).toString()}`;
    return createHmac("sha256", this.key).update(canonical).digest("base64url");
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
