import { timingSafeEqual } from "node:crypto";
import type { Authenticator, Identity } from "../ports/identity.js";

/** The single admin API key: its holder is the owner of one project (the default project today). */
export function adminKeyAuthenticator(apiKey: string, projectId: string): Authenticator {
  const expected = Buffer.from(apiKey);
  const identity: Identity = {
    principal: { kind: "api_key", id: "admin", displayName: "admin", role: "owner" },
    projectId,
  };
  return {
    // Constant-time comparison of raw bytes (only the key's length can leak, as with any API key).
    authenticate: async (presented) => {
      const got = Buffer.from(presented);
      return got.length === expected.length && timingSafeEqual(got, expected) ? identity : null;
    },
    current: async (c) =>
      c.kind === "api_key" && c.id === identity.principal.id && c.projectId === projectId ? identity : null,
  };
}
