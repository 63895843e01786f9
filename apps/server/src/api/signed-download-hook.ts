import type { FastifyInstance } from "fastify";
import type { Authenticator } from "../ports/identity.js";
import { ForbiddenError } from "../shared/errors.js";
import type { DownloadSigner } from "./download-signer.js";

/**
 * A request carrying a signed download link (`dl_sig`) acts as the principal the link was signed for,
 * without any other credential: the signature must match, the link must not have expired, and the
 * principal must still hold its key, session and membership (re-read now, so its current role and
 * project scope apply and a revoked key's links stop working). Installed before the auth hook, which
 * then leaves the request alone. A request that also sends `X-API-Key` or `Authorization` is that
 * credential's, as any other request (the link's parameters are then ignored). A broken or altered link is 403; an expired one is 403 naming when.
 */
export function installSignedDownloads(
  app: FastifyInstance,
  signer: DownloadSigner,
  authenticator: Pick<Authenticator, "current">,
): void {
  app.addHook("onRequest", async (req) => {
    // A request that sends a key in a header acts as that key; a link is for requests that carry none.
    if (req.headers["x-api-key"] || req.headers.authorization) return;
    const link = signer.check(req.method, req.url);
    switch (link.status) {
      case "unsigned":
        return;
      case "invalid":
        throw new ForbiddenError(link.reason, { reason: "invalid_signature" });
      case "expired":
        throw new ForbiddenError(`the download link expired at ${link.expiredAt.toISOString()}: ask for a new one`, {
          reason: "link_expired",
          expired_at: link.expiredAt.toISOString(),
        });
      case "valid": {
        const identity = authenticator.current ? await authenticator.current(link.claim) : null;
        if (!identity) {
          throw new ForbiddenError("the key or session this download link was signed for is no longer valid", {
            reason: "principal_revoked",
          });
        }
        req.principal = identity.principal;
        req.projectId = identity.projectId;
        req.sessionId = identity.sessionId;
        req.signedLink = true;
        return;
      }
    }
  });
}

declare module "fastify" {
  interface FastifyRequest {
    /** The request was authorised by a signed download link rather than a credential. */
    signedLink?: boolean;
  }
}
